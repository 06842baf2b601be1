"""The library's lists as visitors see them: rendered once and kept (library.pages), yet
every change shows at the next request, and the queries of a list do not grow with what
it lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.needs.tests.factories import make_theme
from library import services
from library.api import forget_kept_list
from library.models import DocumentVisibility, Experience
from network import changes
from network.models import Organisation

from .factories import make_city, make_experience

pytestmark = pytest.mark.django_db

EXPERIENCES = reverse("library:experiences")
DOCUMENTS = reverse("library:documents")


def page(client, url, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def queries(client, url, **query) -> int:
    with CaptureQueriesContext(connection) as captured:
        page(client, url, **query)
    return len(captured)


def make_document(title="Policy Paper on Strategic Planning", **overrides):
    document = services.create_document(
        kind=overrides.pop("kind", "policy_paper"),
        original_language="en",
        title=title,
        actor=None,
        **overrides,
    )
    services.add_document_file(
        document,
        version_number=1,
        language="en",
        uploaded_file=SimpleUploadedFile("a.txt", b"text"),
        actor=None,
    )
    services.publish_document(document, actor=None)
    return document


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_visitors_see_an_experience_renamed_added_or_its_city_renamed_at_once(client):
    city = make_city()
    experience = make_experience(city, title="Planning the growth of a city")
    assert "Planning the growth of a city" in page(client, EXPERIENCES)
    experience.title_en = "Planning a city that grows fast"
    experience.save()
    assert "Planning a city that grows fast" in page(client, EXPERIENCES)
    make_experience(city, title="Water for all")
    assert "Water for all" in page(client, EXPERIENCES)
    experience.themes.add(make_theme("water", "Water and sanitation"))
    assert "Water and sanitation" in page(client, EXPERIENCES)
    Organisation.objects.filter(pk=city.pk).update(name_en="Rabat-Salé")
    changes.organisations_changed([city.pk], fields=["name_en"])
    assert "Rabat-Salé" in page(client, EXPERIENCES)
    Experience.objects.filter(pk=experience.pk).update(title_en="Imported anew")
    forget_kept_list()
    assert "Imported anew" in page(client, EXPERIENCES)


def test_the_experience_list_keeps_its_themes_and_pages_apart(client):
    theme = make_theme("water", "Water and sanitation")
    make_experience(title="Water for all", themes=[theme])
    make_experience(title="Housing for all")
    assert "Housing for all" not in page(client, EXPERIENCES, theme="water")
    assert "Housing for all" in page(client, EXPERIENCES)
    assert "Housing for all" not in page(client, EXPERIENCES, theme="nowhere")
    # An odd page is the first page, kept once.
    assert queries(client, EXPERIENCES, page="x") <= 1


def test_a_signed_in_representative_is_offered_to_document_an_experience(
    client, member_city, city_officer
):
    make_experience(member_city)
    offer = "Document an experience of your city"
    assert offer not in page(client, EXPERIENCES)
    client.force_login(city_officer)
    assert offer in page(client, EXPERIENCES)
    client.logout()
    assert offer not in page(client, EXPERIENCES)


def test_visitors_see_a_document_added_renamed_made_private_or_withdrawn_at_once(client):
    author = make_city()
    document = make_document(authors=[author])
    assert "Policy Paper on Strategic Planning" in page(client, DOCUMENTS)
    make_document(title="Report on Water")
    assert "Report on Water" in page(client, DOCUMENTS)
    Organisation.objects.filter(pk=author.pk).update(name_en="Rabat-Salé")
    changes.organisations_changed([author.pk], fields=["name_en"])
    assert "Rabat-Salé" in page(client, DOCUMENTS)
    document.visibility = DocumentVisibility.MEMBERS
    document.save()
    assert "Policy Paper on Strategic Planning" not in page(client, DOCUMENTS)
    document.visibility = DocumentVisibility.PUBLIC
    document.save()
    assert "Policy Paper on Strategic Planning" in page(client, DOCUMENTS)
    services.unpublish_document(document, actor=None)
    assert "Policy Paper on Strategic Planning" not in page(client, DOCUMENTS)


def test_a_member_still_sees_the_documents_for_members(client, city_officer):
    make_document(title="For members", visibility=DocumentVisibility.MEMBERS)
    assert "For members" not in page(client, DOCUMENTS)
    client.force_login(city_officer)
    assert "For members" in page(client, DOCUMENTS)
    client.logout()
    assert "For members" not in page(client, DOCUMENTS)


def test_the_document_list_keeps_its_kinds_apart(client):
    make_document(title="Report on Water", kind="report")
    make_document(title="Housing paper")
    assert "Housing paper" not in page(client, DOCUMENTS, kind="report")
    assert "Housing paper" in page(client, DOCUMENTS)
    assert "Housing paper" not in page(client, DOCUMENTS, kind="nothing")


@pytest.mark.parametrize("url", [EXPERIENCES, DOCUMENTS])
def test_a_kept_list_costs_at_most_one_query(client, url):
    make_experience(title="Water for all")
    make_document()
    page(client, url)
    assert queries(client, url) <= 1


@pytest.mark.parametrize("url", [EXPERIENCES, DOCUMENTS])
def test_a_list_reads_as_often_for_few_and_many_rows(client, url):
    def built(rows: int) -> int:
        for n in range(rows):
            make_experience(title=f"Experience {n}")
            make_document(title=f"Document {n}", authors=[make_city(), make_city()])
        return queries(client, url, page="1")

    assert built(2) == built(8)
