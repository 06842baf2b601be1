"""Learning groups: who reads and who runs them, their members, sessions and conclusions."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import Action, ActionStatus
from actions.tests.factories import make_workstream
from audit.models import AuditEntry
from learning.groups import services
from learning.groups.tests.factories import make_group, make_organisation
from learning.models import GroupConclusion, GroupMembership, GroupVisibility, LearningGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(commission, member_city):
    group = make_group(commission=commission)
    services.add_member(group, member_city, joined_on=date(2013, 10, 1), actor=None)
    return group


def _url(name, group, *args):
    return reverse(f"learning:{name}", args=[group.slug, *args])


# --- reading -----------------------------------------------------------------------------


def test_anyone_reads_a_public_group_with_its_members_sessions_and_conclusions(client, group):
    services.add_session(
        group, held_on=date(2013, 10, 1), place="Rabat", summaries={"en": "First steps"}, actor=None
    )
    services.add_conclusion(group, texts={"en": "Share plans twice a year"}, actor=None)
    response = client.get(group.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Intermediary cities&#x27; strategic planning" in page
    assert "Rabat" in page and "First steps" in page and "Share plans twice a year" in page
    assert "Add a conclusion" not in page


def test_the_group_list_shows_public_groups_to_the_public_and_hides_members_only_ones(
    client, commission, group
):
    make_group(commission=commission, name="Closed circle", visibility=GroupVisibility.MEMBERS)
    page = client.get(reverse("learning:groups")).content.decode()
    assert group.name.replace("'", "&#x27;") in page
    assert "Closed circle" not in page


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("administrator", True),
        ("secretariat", True),
        ("city_officer", True),  # Rabat is a member
        ("other_secretariat", False),
        ("presidency", False),
        ("outsider", False),
        (None, False),
    ],
)
def test_a_members_only_group_is_read_by_its_members_and_secretariat_only(
    client, request, commission, member_city, persona, visible
):
    hidden = make_group(commission=commission, visibility=GroupVisibility.MEMBERS)
    services.add_member(hidden, member_city, actor=None)
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == (200 if visible else 404)


def test_the_group_page_reads_a_bounded_number_of_queries(
    client, commission, secretariat, group, django_assert_max_num_queries
):
    workstream = make_workstream(commissions=[commission])
    for n in range(15):
        services.add_member(group, make_organisation(), actor=None)
        session = services.add_session(group, held_on=date(2014, 1, n + 1), actor=None)
        conclusion = services.add_conclusion(
            group, texts={"en": f"Conclusion {n}"}, session=session, actor=None
        )
        if n % 2:
            services.conclusion_to_action(conclusion, workstream=workstream, actor=None)
    client.force_login(secretariat)
    with django_assert_max_num_queries(16):
        response = client.get(group.get_absolute_url())
    assert response.content.decode().count('id="conclusion-') == 15


# --- managing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("administrator", True),
        ("secretariat", True),
        ("other_secretariat", False),
        ("presidency", False),
        ("city_officer", False),
        ("outsider", False),
    ],
)
def test_only_the_facilitating_secretariat_and_administrators_add_a_conclusion(
    client, request, group, persona, allowed
):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        _url("group_conclusion_add", group),
        {"concluded_on": "2014-02-01", "text_en": "Publish a joint note"},
    )
    assert response.status_code == (302 if allowed else 403)
    assert GroupConclusion.objects.filter(group=group).count() == (1 if allowed else 0)


def test_an_anonymous_post_is_refused_and_nothing_is_saved(client, group):
    response = client.post(
        _url("group_session_add", group), {"held_on": "2014-02-01", "place": "Durban"}
    )
    assert response.status_code == 403
    assert not group.sessions.exists()


def test_a_secretariat_opens_a_group_for_its_own_commission_only(
    client, commission, other_commission, secretariat
):
    client.force_login(secretariat)
    response = client.post(
        reverse("learning:group_create"),
        {
            "slug": "digital-cities",
            "name_en": "Digital cities",
            "facilitating_commission": other_commission.pk,  # forged: not theirs
            "visibility": "public",
        },
    )
    assert response.status_code == 400
    assert "Choose one of the commissions you run." in response.content.decode()
    assert not LearningGroup.objects.filter(slug="digital-cities").exists()

    response = client.post(
        reverse("learning:group_create"),
        {
            "slug": "digital-cities",
            "name_fr": "Villes numériques",
            "facilitating_commission": commission.pk,
            "visibility": "members",
        },
    )
    group = LearningGroup.objects.get(slug="digital-cities")
    assert response.url == group.get_absolute_url()
    assert group.name == "Villes numériques"  # falls back to the French name
    assert AuditEntry.objects.filter(action="learning.group.created").count() == 1


@pytest.mark.parametrize("persona", ["city_officer", "presidency", "outsider"])
def test_people_without_a_secretariat_cannot_open_a_group(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("learning:group_create")).status_code == 403


def test_a_group_without_a_name_or_with_a_taken_short_name_is_refused(
    client, commission, secretariat, group
):
    client.force_login(secretariat)
    url = reverse("learning:group_create")
    base = {"facilitating_commission": commission.pk, "visibility": "public"}
    response = client.post(url, base | {"slug": "nameless"})
    assert response.status_code == 400
    assert "Give the group a name in at least one language." in response.content.decode()
    response = client.post(url, base | {"slug": group.slug, "name_en": "Twin"})
    assert response.status_code == 400
    assert "Another group already has this short name." in response.content.decode()
    assert LearningGroup.objects.count() == 1


def test_a_member_joins_through_the_search_and_leaves_with_its_dates_kept(
    client, durban, secretariat, group
):
    client.force_login(secretariat)
    results = client.get(_url("group_member_search", group), {"q": "durb"}).content.decode()
    assert "Add Durban" in results
    response = client.post(
        _url("group_member_add", group), {"organisation": durban.pk, "joined_on": "2014-01-10"}
    )
    assert response.status_code == 302
    membership = GroupMembership.objects.get(group=group, organisation=durban)
    assert membership.joined_on == date(2014, 1, 10)

    response = client.post(
        _url("group_member_leave", group, membership.pk), {"left_on": "2014-01-01"}
    )
    assert response.status_code == 400
    assert "A member cannot leave before joining." in response.content.decode()
    client.post(_url("group_member_leave", group, membership.pk), {"left_on": "2015-06-30"})
    membership.refresh_from_db()
    assert membership.left_on == date(2015, 6, 30)
    page = client.get(group.get_absolute_url()).content.decode()
    assert "1 former member" in page


def test_adding_a_member_twice_or_an_unknown_organisation_is_refused(
    client, member_city, secretariat, group
):
    client.force_login(secretariat)
    response = client.post(_url("group_member_add", group), {"organisation": member_city.pk})
    assert response.status_code == 400
    assert "Rabat is already a member." in response.content.decode()
    response = client.post(_url("group_member_add", group), {"organisation": 999999})
    assert response.status_code == 400
    assert "This organisation does not exist." in response.content.decode()
    response = client.post(_url("group_member_add", group), {"organisation": "abc"})
    assert response.status_code == 400
    assert group.memberships.count() == 1


def test_a_session_with_a_bad_date_or_an_unknown_meeting_is_refused(client, secretariat, group):
    client.force_login(secretariat)
    response = client.post(_url("group_session_add", group), {"held_on": "31/31/2014"})
    assert response.status_code == 400
    response = client.post(
        _url("group_session_add", group), {"held_on": "2014-02-01", "meeting": 424242}
    )
    assert response.status_code == 400
    assert "There is no meeting with this number." in response.content.decode()
    assert not group.sessions.exists()


def test_conclusions_are_numbered_in_order_and_an_empty_one_is_refused(client, secretariat, group):
    client.force_login(secretariat)
    url = _url("group_conclusion_add", group)
    client.post(url, {"concluded_on": "2014-02-01", "text_en": "One"})
    client.post(url, {"concluded_on": "2014-03-01", "text_es": "Dos"})
    response = client.post(url, {"concluded_on": "2014-04-01", "text_en": "  "})
    assert response.status_code == 400
    assert "Write the conclusion in at least one language." in response.content.decode()
    assert list(group.conclusions.values_list("number", "text_en", "text_es")) == [
        (1, "One", ""),
        (2, "", "Dos"),
    ]


def test_another_groups_session_cannot_be_attached_to_a_conclusion(
    client, commission, secretariat, group
):
    other = make_group(commission=commission)
    session = services.add_session(other, held_on=date(2014, 1, 1), actor=None)
    client.force_login(secretariat)
    response = client.post(
        _url("group_conclusion_add", group),
        {"concluded_on": "2014-02-01", "text_en": "One", "session": session.pk},
    )
    assert response.status_code == 400
    assert not group.conclusions.exists()


# --- conclusion → action -----------------------------------------------------------------


def test_a_conclusion_becomes_an_action_and_shows_its_status(
    client, commission, secretariat, group
):
    workstream = make_workstream(commissions=[commission], title="City-to-city learning")
    conclusion = services.add_conclusion(
        group,
        texts={"en": "Write a guide on planning", "fr": "Écrire un guide de planification"},
        actor=None,
    )
    client.force_login(secretariat)
    response = client.post(
        _url("group_conclusion_action", group, conclusion.number),
        {"workstream": workstream.pk, "due_date": "2014-12-31"},
    )
    assert response.status_code == 302
    conclusion.refresh_from_db()
    action = conclusion.action
    assert action.workstream == workstream
    assert action.title_en == "Write a guide on planning"
    assert action.title_fr == "Écrire un guide de planification"
    assert list(action.owner_commissions.all()) == [commission]
    assert action.due_date == date(2014, 12, 31)
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.IN_PROGRESS)
    page = client.get(group.get_absolute_url()).content.decode()
    assert reverse("actions:detail", args=[action.pk]) in page
    assert "In progress" in page

    # A second time: refused, no second action.
    response = client.post(
        _url("group_conclusion_action", group, conclusion.number), {"workstream": workstream.pk}
    )
    assert response.status_code == 400
    assert Action.objects.count() == 1


def test_a_conclusion_cannot_go_to_a_workstream_the_secretariat_does_not_manage(
    client, other_commission, secretariat, group
):
    foreign = make_workstream(commissions=[other_commission])
    conclusion = services.add_conclusion(group, texts={"en": "Lobby"}, actor=None)
    client.force_login(secretariat)
    response = client.post(
        _url("group_conclusion_action", group, conclusion.number), {"workstream": foreign.pk}
    )
    assert response.status_code == 400
    assert "Choose one of the workstreams you manage." in response.content.decode()
    assert not Action.objects.exists()


def test_a_presidency_cannot_turn_a_conclusion_into_an_action(
    client, commission, presidency, group
):
    workstream = make_workstream(commissions=[commission])
    conclusion = services.add_conclusion(group, texts={"en": "Lobby"}, actor=None)
    client.force_login(presidency)
    response = client.post(
        _url("group_conclusion_action", group, conclusion.number), {"workstream": workstream.pk}
    )
    assert response.status_code == 403
    assert not Action.objects.exists()


def test_the_group_page_is_translated(client, group):
    client.cookies["django_language"] = "fr"
    response = client.get(group.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Conclusions" in response.content.decode()
    assert "Membres" in response.content.decode()


def test_a_members_only_meeting_of_a_session_is_not_named_to_the_public(
    client, commission, city_officer, group
):
    from meetings.tests.factories import make_meeting

    meeting = make_meeting(
        commissions=[commission], title="Closed-door meeting", visibility="members"
    )
    services.add_session(group, held_on=date(2014, 1, 1), meeting=meeting, actor=None)
    assert "Closed-door meeting" not in client.get(group.get_absolute_url()).content.decode()
    client.force_login(city_officer)
    assert "Closed-door meeting" in client.get(group.get_absolute_url()).content.decode()


def test_a_secretariat_edits_its_group_and_cannot_move_it_to_another_commission(
    client, commission, other_commission, secretariat, group
):
    client.force_login(secretariat)
    url = _url("group_edit", group)
    page = client.get(url).content.decode()
    assert "Intermediary cities&#x27; strategic planning" in page
    data = {
        "name_en": "Planning in intermediary cities",
        "name_es": "Planificación en ciudades intermedias",
        "facilitating_commission": commission.pk,
        "visibility": "members",
    }
    response = client.post(url, data | {"facilitating_commission": other_commission.pk})
    assert response.status_code == 400
    response = client.post(url, data)
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name_es == "Planificación en ciudades intermedias"
    assert group.visibility == GroupVisibility.MEMBERS
    assert AuditEntry.objects.filter(action="learning.group.updated").exists()


@pytest.mark.parametrize("persona", ["other_secretariat", "presidency", "city_officer"])
def test_others_cannot_edit_a_group(client, request, other_commission, group, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("group_edit", group)).status_code == 403
    response = client.post(
        _url("group_edit", group),
        {
            "name_en": "Hijacked",
            "facilitating_commission": other_commission.pk,
            "visibility": "public",
        },
    )
    assert response.status_code == 403
    group.refresh_from_db()
    assert group.name_en != "Hijacked"


def test_a_membership_of_another_group_cannot_be_ended_through_this_one(
    client, other_commission, durban, secretariat, group
):
    other = make_group(commission=other_commission)
    membership = services.add_member(other, durban, actor=None)
    client.force_login(secretariat)
    response = client.post(_url("group_member_leave", group, membership.pk), {})
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.left_on is None


def test_get_is_not_allowed_on_the_write_addresses(client, secretariat, group):
    client.force_login(secretariat)
    assert client.get(_url("group_conclusion_add", group)).status_code == 405
    assert client.get(_url("group_member_add", group)).status_code == 405
