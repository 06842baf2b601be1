"""Correcting a learning group's recorded sessions and conclusions (pages and API)."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEntry
from learning.groups import services
from learning.groups.tests.factories import make_group
from learning.models import GroupConclusion, GroupSession

pytestmark = pytest.mark.django_db

PERSONAS = [
    ("administrator", True),
    ("secretariat", True),
    ("other_secretariat", False),
    ("presidency", False),
    ("city_officer", False),
    ("outsider", False),
]


@pytest.fixture
def group(commission):
    group = make_group(commission=commission, slug="planners")
    session = services.add_session(
        group, held_on=date(2013, 10, 1), place="Rabat", summaries={"en": "First"}, actor=None
    )
    services.add_conclusion(
        group, texts={"en": "Share plans"}, session=session, concluded_on=None, actor=None
    )
    return group


def _session(group):
    return group.sessions.get()


def _session_url(group):
    return reverse("learning:group_session_edit", args=[group.slug, _session(group).pk])


def _conclusion_url(group):
    return reverse("learning:group_conclusion_edit", args=[group.slug, 1])


# --- pages ---------------------------------------------------------------------------------


def test_the_secretariat_sees_edit_links_and_a_form_filled_with_the_session(
    client, secretariat, group
):
    client.force_login(secretariat)
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Edit the session" in page and "Edit the conclusion" in page
    form = client.get(_session_url(group)).content.decode()
    assert 'value="Rabat"' in form and "First" in form and 'value="2013-10-01"' in form


def test_a_corrected_session_shows_on_the_group_page_with_an_audit_entry(
    client, secretariat, group
):
    client.force_login(secretariat)
    response = client.post(
        _session_url(group),
        {"held_on": "2013-10-02", "place": "Rabat city hall", "summary_en": "First steps"},
    )
    assert response.status_code == 302
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Rabat city hall" in page and "First steps" in page
    entry = AuditEntry.objects.get(action="learning.group.session_updated")
    assert entry.before["place"] == "Rabat" and entry.after["place"] == "Rabat city hall"


def test_a_corrected_conclusion_keeps_its_number_and_shows_its_new_text(client, secretariat, group):
    client.force_login(secretariat)
    response = client.post(
        _conclusion_url(group),
        {"concluded_on": "2013-10-03", "text_en": "Share plans twice a year"},
    )
    assert response.status_code == 302
    conclusion = GroupConclusion.objects.get(group=group)
    assert (conclusion.number, conclusion.text) == (1, "Share plans twice a year")
    assert "Share plans twice a year" in client.get(group.get_absolute_url()).content.decode()
    assert AuditEntry.objects.filter(action="learning.group.conclusion_updated").count() == 1


def test_an_emptied_conclusion_or_a_missing_date_is_refused_and_nothing_changes(
    client, secretariat, group
):
    client.force_login(secretariat)
    response = client.post(_conclusion_url(group), {"concluded_on": "2013-10-03"})
    assert response.status_code == 400
    assert "Write the conclusion in at least one language." in response.content.decode()
    response = client.post(_session_url(group), {"held_on": "", "place": "Nowhere"})
    assert response.status_code == 400
    assert _session(group).place == "Rabat"
    assert GroupConclusion.objects.get(group=group).text == "Share plans"


@pytest.mark.parametrize(("persona", "allowed"), PERSONAS)
def test_only_the_facilitating_secretariat_and_administrators_edit(
    client, request, group, persona, allowed
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_session_url(group)).status_code == (200 if allowed else 403)
    response = client.post(_conclusion_url(group), {"concluded_on": "2014-01-01", "text_en": "X"})
    assert response.status_code == (302 if allowed else 403)
    assert GroupConclusion.objects.get(group=group).text == ("X" if allowed else "Share plans")
    page = client.get(group.get_absolute_url()).content.decode()
    assert ("Edit the session" in page) is allowed


def test_anonymous_readers_are_sent_to_log_in_and_a_forged_post_is_refused(client, group):
    response = client.get(_session_url(group))
    assert response.status_code == 302 and "/login" in response.url
    response = client.post(_session_url(group), {"held_on": "2014-01-01", "place": "Forged"})
    assert response.status_code == 403
    assert _session(group).place == "Rabat"


def test_a_session_of_another_group_is_not_found(client, commission, secretariat, group):
    other = make_group(commission=commission, slug="others")
    client.force_login(secretariat)
    url = reverse("learning:group_session_edit", args=[other.slug, _session(group).pk])
    assert client.get(url).status_code == 404


def test_the_edit_page_reads_a_bounded_number_of_queries(
    client, secretariat, group, django_assert_max_num_queries
):
    client.force_login(secretariat)
    with django_assert_max_num_queries(20):
        assert client.get(_conclusion_url(group)).status_code == 200


# --- API -----------------------------------------------------------------------------------


def test_the_api_corrects_a_session_and_a_conclusion_for_the_secretariat(secretariat, group):
    api = APIClient()
    api.force_authenticate(secretariat)
    session = _session(group)
    response = api.patch(
        f"/api/learning-groups/planners/sessions/{session.pk}/", {"place": "Salé"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["place"] == "Salé"
    session.refresh_from_db()
    assert (session.place, session.summary, session.held_on) == ("Salé", "First", date(2013, 10, 1))
    response = api.patch(
        "/api/learning-groups/planners/conclusions/1/", {"text_fr": "Partager"}, format="json"
    )
    assert response.status_code == 200
    conclusion = GroupConclusion.objects.get(group=group)
    assert (conclusion.text_en, conclusion.text_fr) == ("Share plans", "Partager")
    assert AuditEntry.objects.filter(action__endswith="_updated").count() == 2


@pytest.mark.parametrize(("persona", "allowed"), PERSONAS)
def test_the_api_refuses_those_who_may_not_record(request, group, persona, allowed):
    api = APIClient()
    api.force_authenticate(request.getfixturevalue(persona))
    response = api.patch(
        "/api/learning-groups/planners/conclusions/1/", {"text_en": "Changed"}, format="json"
    )
    assert response.status_code == (200 if allowed else 403)
    assert GroupConclusion.objects.get(group=group).text_en == (
        "Changed" if allowed else "Share plans"
    )


def test_the_api_refuses_anonymous_edits_and_bad_values(secretariat, group):
    api = APIClient()
    session = _session(group)
    url = f"/api/learning-groups/planners/sessions/{session.pk}/"
    assert api.patch(url, {"place": "X"}, format="json").status_code in (401, 403)
    api.force_authenticate(secretariat)
    assert api.patch(url, {"held_on": "not a date"}, format="json").status_code == 400
    assert GroupSession.objects.get(pk=session.pk).place == "Rabat"
