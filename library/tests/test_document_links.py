import pytest
from django.urls import reverse

from actions.tests.factories import make_action, make_workstream
from audit.models import AuditEntry
from library import services
from library.models import Document, Status
from meetings.models import MeetingVisibility
from meetings.tests.factories import make_meeting

from .factories import make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(commission):
    workstream = make_workstream(commissions=[commission], title="Intermediary Cities")
    return {
        "commission": commission,
        "meeting": make_meeting(commissions=[commission], title="Rabat learning meeting"),
        "closed_meeting": make_meeting(
            commissions=[commission],
            title="Closed bureau meeting",
            visibility=MeetingVisibility.MEMBERS,
        ),
        "workstream": workstream,
        "action": make_action(workstream=workstream, title="Collect case studies"),
        "other_action": make_action(workstream=workstream, title="Draft the guidelines chapter"),
    }


def test_the_creation_page_links_authors_meetings_workstreams_and_actions(
    client, linked, secretariat, member_city
):
    durban = make_city("Durban")
    client.force_login(secretariat)
    response = client.post(
        reverse("library:document_create"),
        {
            "kind": "report",
            "original_language": "en",
            "title": "Rabat meeting report",
            "visibility": "public",
            "commissions": [linked["commission"].pk],
            "authors": [durban.pk, member_city.pk],
            "meetings": [linked["meeting"].pk],
            "workstreams": [linked["workstream"].pk],
            "actions": [linked["action"].pk],
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert set(document.authors.all()) == {durban, member_city}
    page = client.get(document.get_absolute_url()).text
    for text in ("Durban", "Rabat learning meeting", "Intermediary Cities", "Collect case studies"):
        assert text in page


def test_a_forged_author_id_is_refused_and_nothing_is_saved(client, linked, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("library:document_create"),
        {
            "kind": "report",
            "original_language": "en",
            "title": "Report",
            "visibility": "public",
            "authors": [987654],
        },
    )
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_members_only_meetings_are_not_shown_to_the_public_on_a_document(
    client, linked, city_officer
):
    document = services.create_document(
        kind="report",
        original_language="en",
        title="Bureau report",
        actor=None,
        meetings=[linked["meeting"], linked["closed_meeting"]],
    )
    # Publishing needs a file; the page's visibility rules are what this test is about.
    Document.objects.filter(pk=document.pk).update(status=Status.PUBLISHED)
    page = client.get(document.get_absolute_url()).text
    assert "Rabat learning meeting" in page
    assert "Closed bureau meeting" not in page
    client.force_login(city_officer)
    assert "Closed bureau meeting" in client.get(document.get_absolute_url()).text


def test_a_recommendation_is_linked_to_the_actions_that_follow_it_up(client, linked, administrator):
    document = services.create_document(
        kind="policy_paper", original_language="en", title="Policy Paper", actor=None
    )
    item = services.add_document_item(
        document, kind="recommendation", texts={"en": "Plan with the region"}, actor=None
    )
    client.force_login(administrator)
    response = client.post(
        reverse("library:document_item_actions", args=[document.pk, item.pk]),
        {f"item-{item.pk}-actions": [linked["action"].pk, linked["other_action"].pk]},
    )
    assert response.status_code == 302
    assert set(item.actions.all()) == {linked["action"], linked["other_action"]}
    assert AuditEntry.objects.filter(action="library.documentitem.actions_changed").exists()
    page = client.get(document.get_absolute_url()).text
    assert "Followed up by" in page
    assert "Draft the guidelines chapter" in page


@pytest.mark.parametrize("persona", ["presidency", "city_officer", "outsider"])
def test_only_those_who_edit_the_document_change_its_links(client, request, linked, persona):
    document = services.create_document(
        kind="report",
        original_language="en",
        title="Report",
        actor=None,
        commissions=[linked["commission"]],
    )
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        reverse("library:document_links", args=[document.pk]),
        {"actions": [linked["action"].pk]},
    )
    assert response.status_code in (403, 404)
    assert not document.actions.exists()


def test_the_secretariat_changes_the_links_of_its_commissions_document(client, linked, secretariat):
    document = services.create_document(
        kind="report",
        original_language="en",
        title="Report",
        actor=None,
        commissions=[linked["commission"]],
    )
    client.force_login(secretariat)
    client.post(
        reverse("library:document_links", args=[document.pk]),
        {"actions": [linked["action"].pk], "workstreams": [linked["workstream"].pk]},
    )
    assert list(document.actions.all()) == [linked["action"]]
    assert list(document.workstreams.all()) == [linked["workstream"]]


def test_the_author_lookup_finds_organisations_by_name_for_document_editors(
    client, linked, city_officer, secretariat
):
    make_city("Porto Alegre")
    url = reverse("library:lookup", args=["organisations"])
    client.force_login(city_officer)
    assert client.get(url, {"lookup-q": "porto", "field": "authors"}).status_code == 403
    client.force_login(secretariat)
    response = client.get(url, {"lookup-q": "porto", "field": "authors"})
    assert 'name="authors"' in response.text
    assert "Porto Alegre" in response.text
    assert client.get(url, {"lookup-q": "porto", "field": 'x"><b'}).status_code == 400
    lookup_unknown = reverse("library:lookup", args=["people"])
    assert client.get(lookup_unknown, {"lookup-q": "porto", "field": "authors"}).status_code == 404
