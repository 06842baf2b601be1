"""The knowledge base pages read a fixed number of times whatever they show."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.tests.factories import make_action, make_workstream
from library import services
from library.models import Status

from .factories import make_city, make_experience

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def make_document(commission, items: int, workstream):
    document = services.create_document(
        kind="policy_paper",
        original_language="en",
        title="Policy Paper on Strategic Planning",
        commissions=[commission],
        authors=[make_city(), make_city()],
        actor=None,
    )
    for version in (1, 2):
        for language in ("en", "fr"):
            services.add_document_file(
                document,
                version_number=version,
                language=language,
                uploaded_file=SimpleUploadedFile("paper.txt", b"Strategic planning."),
                actor=None,
            )
    for n in range(items):
        action = make_action(workstream=workstream, title=f"Follow-up {n}")
        services.add_document_item(
            document,
            kind="recommendation",
            texts={"en": f"Recommendation {n}"},
            actions=[action],
            actor=None,
        )
    services.publish_document(document, actor=None)
    return document


@pytest.mark.parametrize("persona", [None, "secretariat"])
def test_the_document_page_reads_the_same_number_of_times_whatever_its_items(
    client, persona, request, commission
):
    workstream = make_workstream(commissions=[commission])
    if persona:
        client.force_login(request.getfixturevalue(persona))
    small = make_document(commission, 1, workstream)
    large = make_document(commission, 8, workstream)
    small_url = reverse("library:document", args=[small.pk])
    large_url = reverse("library:document", args=[large.pk])
    queries(client, small_url)  # warms the session and the translations
    assert queries(client, large_url) == queries(client, small_url)
    # One of them asks whether sentence embeddings are stored (related experiences).
    assert queries(client, large_url) <= 21


def test_the_document_edit_page_and_lists_read_a_bounded_number_of_times(
    client, commission, secretariat
):
    workstream = make_workstream(commissions=[commission])
    document = make_document(commission, 3, workstream)
    for _n in range(5):
        make_document(commission, 0, workstream)
    client.force_login(secretariat)
    queries(client, reverse("library:documents"))
    assert queries(client, reverse("library:documents")) <= 12
    assert queries(client, reverse("library:document_edit", args=[document.pk])) <= 25


def test_the_experience_page_and_the_review_queue_read_a_bounded_number_of_times(
    client, member_city, secretariat
):
    experiences = [
        make_experience(member_city, status=Status.IN_REVIEW, title=f"Case {n}") for n in range(6)
    ]
    client.force_login(secretariat)
    queries(client, reverse("library:review_queue"))
    assert queries(client, reverse("library:review_queue")) <= 10
    assert queries(client, reverse("library:experience", args=[experiences[0].pk])) <= 18
