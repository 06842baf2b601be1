"""Library documents linked to a representation's mandate or report back."""

from datetime import date

import pytest
from django.urls import reverse

from library.models import Document, DocumentVisibility, Status
from meetings import services

pytestmark = pytest.mark.django_db


def _document(title, **overrides):
    values = {
        "kind": "policy_paper",
        "title_en": title,
        "status": Status.PUBLISHED,
        "visibility": DocumentVisibility.PUBLIC,
        "date": date(2013, 9, 1),
    }
    values.update(overrides)
    return Document.objects.create(**values)


@pytest.fixture
def representation(commission, member_city):
    event = services.create_external_event(
        titles={"en": "World Urban Forum"},
        organiser="UN-Habitat",
        starts_on=date(2030, 4, 7),
        ends_on=date(2030, 4, 9),
        commissions=[commission],
        actor=None,
    )
    return services.add_representation(
        event, organisation=member_city, mandates={"en": "Speak for the network"}, actor=None
    )


def test_the_secretariat_links_documents_shown_on_the_event_page(
    client, secretariat, representation
):
    message = _document("Key messages on urban planning")
    members = _document("Internal position", visibility=DocumentVisibility.MEMBERS)
    _document("Unrelated report")
    url = reverse("meetings:event", args=[representation.event_id])
    client.force_login(secretariat)
    found = client.get(
        reverse("meetings:picker", args=["documents"]),
        {"field": f"documents-{representation.pk}", f"documents-{representation.pk}-q": "key mess"},
    )
    assert "Key messages on urban planning" in found.content.decode()
    assert "Unrelated" not in found.content.decode()
    response = client.post(
        url,
        {
            "action": "documents",
            "representation": representation.pk,
            f"documents-{representation.pk}": [message.pk, members.pk],
        },
        follow=True,
    )
    assert "The documents are linked." in response.content.decode()
    assert set(representation.documents.all()) == {message, members}
    client.logout()
    public_page = client.get(url).content.decode()
    # The public sees the public document only.
    assert "Key messages on urban planning" in public_page
    assert "Internal position" not in public_page


def test_the_representative_links_documents_to_its_report_back(
    client, city_officer, representation
):
    report = _document("Report back from the Forum")
    client.force_login(city_officer)
    client.post(
        reverse("meetings:event", args=[representation.event_id]),
        {
            "action": "documents",
            "representation": representation.pk,
            f"documents-{representation.pk}": [report.pk],
        },
    )
    assert list(representation.documents.all()) == [report]


def test_other_roles_cannot_link_documents(
    client, other_secretariat, presidency, outsider, representation
):
    document = _document("Forged link")
    url = reverse("meetings:event", args=[representation.event_id])
    body = {
        "action": "documents",
        "representation": representation.pk,
        f"documents-{representation.pk}": [document.pk],
    }
    for user in (other_secretariat, presidency, outsider):
        client.force_login(user)
        assert client.post(url, body).status_code == 403
        assert "Link documents of the library" not in client.get(url).content.decode()
    client.logout()
    assert client.post(url, body).status_code == 403
    assert not representation.documents.exists()


def test_drafts_and_unknown_documents_cannot_be_linked(client, secretariat, representation):
    draft = _document("Draft", status=Status.DRAFT)
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:event", args=[representation.event_id]),
        {
            "action": "documents",
            "representation": representation.pk,
            f"documents-{representation.pk}": [draft.pk],
        },
    )
    assert response.status_code == 400
    assert not representation.documents.exists()


def test_the_api_shows_and_links_documents_under_the_same_rules(
    client, city_officer, outsider, representation
):
    public = _document("Key messages")
    members = _document("Internal position", visibility=DocumentVisibility.MEMBERS)
    representation.documents.set([public, members])
    url = f"/api/representations/{representation.pk}/"
    assert [d["title"] for d in client.get(url).json()["documents"]] == ["Key messages"]
    assert client.patch(url, {"document_ids": []}, content_type="application/json").status_code in (
        401,
        403,
    )
    client.force_login(outsider)
    assert (
        client.patch(url, {"document_ids": []}, content_type="application/json").status_code == 403
    )
    client.force_login(city_officer)
    assert len(client.get(url).json()["documents"]) == 2
    changed = client.patch(url, {"document_ids": [public.pk]}, content_type="application/json")
    assert changed.status_code == 200
    assert [d["title"] for d in changed.json()["documents"]] == ["Key messages"]
    assert list(representation.documents.all()) == [public]
    bad = client.patch(url, {"document_ids": [999999]}, content_type="application/json")
    assert bad.status_code == 400


def test_the_event_page_reads_documents_in_a_bounded_number_of_queries(
    client, durban, secretariat, representation, django_assert_max_num_queries
):
    representation.documents.set([_document(f"Message {n}") for n in range(5)])
    for organisation in (durban,):
        other = services.add_representation(
            representation.event, organisation=organisation, mandates={"en": "Speak"}, actor=None
        )
        other.documents.set([_document(f"Position {n}") for n in range(5)])
    client.force_login(secretariat)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("meetings:event", args=[representation.event_id]))
    assert page.content.decode().count("Message ") == 5 * 2  # listed, and ticked in the picker
