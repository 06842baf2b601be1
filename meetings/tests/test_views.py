from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.models import Meeting, MeetingVisibility, ParticipationStatus
from network.models import Visibility

from .factories import make_meeting, make_organisation, make_person

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_anonymous_visitors_see_public_meetings_but_not_members_only_ones(client, commission):
    public = make_meeting(commissions=[commission], title="Open forum")
    hidden = make_meeting(
        commissions=[commission], title="Closed session", visibility=MeetingVisibility.MEMBERS
    )
    page = client.get(reverse("meetings:list")).content.decode()
    assert "Open forum" in page and "Closed session" not in page
    assert client.get(reverse("meetings:detail", args=[public.pk])).status_code == 200
    assert client.get(reverse("meetings:detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("meetings:ical", args=[hidden.pk])).status_code == 404


def test_members_see_members_only_meetings(client, commission, city_officer):
    hidden = make_meeting(
        commissions=[commission], title="Closed session", visibility=MeetingVisibility.MEMBERS
    )
    _login(client, city_officer)
    assert (
        "Closed session"
        in client.get(reverse("meetings:detail", args=[hidden.pk])).content.decode()
    )


def test_the_list_filters_by_commission_and_splits_upcoming_and_past(client, commission, digital):
    make_meeting(commissions=[commission], title="Planning ahead")
    make_meeting(commissions=[digital], title="Digital ahead")
    start = timezone.now() - timedelta(days=400)
    make_meeting(
        commissions=[commission],
        title="Rabat 2013",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
    )
    page = client.get(reverse("meetings:list"), {"commission": "planning"}).content.decode()
    coming, _, recent = page.partition("Recent meetings")
    assert "Planning ahead" in coming and "Digital ahead" not in page
    # The last meetings held follow the coming ones, apart.
    assert "Rabat 2013" not in coming and "Rabat 2013" in recent
    past = client.get(reverse("meetings:list"), {"when": "past"}).content.decode()
    assert "Rabat 2013" in past and "Planning ahead" not in past


def test_the_detail_page_shows_the_time_in_the_venue_zone(client, commission):
    start = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=5)
    meeting = make_meeting(commissions=[commission], starts_at=start, time_zone="Asia/Tokyo")
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Asia/Tokyo" in page
    assert "5 p.m." in page  # 08:00 UTC is 17:00 in Tokyo
    assert 'data-reader datetime="' in page


def test_a_city_officer_registers_itself_and_a_colleague(
    client, commission, city_officer, officer_person, colleague
):
    meeting = make_meeting(commissions=[commission])
    _login(client, city_officer)
    url = reverse("meetings:register", args=[meeting.pk])
    client.post(url, {"person": officer_person.pk})
    response = client.post(url, {"person": colleague.pk}, follow=True)
    assert "Karim Colleague is registered." in response.content.decode()
    assert meeting.participations.filter(status=ParticipationStatus.REGISTERED).count() == 2


def test_a_city_officer_cannot_register_another_citys_person(
    client, commission, city_officer, durban_person
):
    meeting = make_meeting(commissions=[commission])
    _login(client, city_officer)
    response = client.post(
        reverse("meetings:register", args=[meeting.pk]), {"person": durban_person.pk}
    )
    assert response.status_code == 403
    assert not meeting.participations.exists()


def test_anonymous_visitors_cannot_register(client, commission, officer_person):
    meeting = make_meeting(commissions=[commission])
    response = client.post(
        reverse("meetings:register", args=[meeting.pk]), {"person": officer_person.pk}
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert not meeting.participations.exists()


def test_registration_after_the_meeting_shows_a_message_and_saves_nothing(
    client, commission, city_officer, officer_person
):
    start = timezone.now() - timedelta(days=3)
    meeting = make_meeting(
        commissions=[commission], starts_at=start, ends_at=start + timedelta(hours=1)
    )
    _login(client, city_officer)
    response = client.post(
        reverse("meetings:register", args=[meeting.pk]),
        {"person": officer_person.pk},
        follow=True,
    )
    assert "the meeting is over" in response.content.decode()
    assert not meeting.participations.exists()


def test_a_secretariat_manages_its_commissions_meetings_only(
    client, commission, digital, other_commission, secretariat
):
    own = make_meeting(commissions=[commission, digital])
    other = make_meeting(commissions=[other_commission])
    _login(client, secretariat)
    assert client.get(reverse("meetings:manage", args=[own.pk])).status_code == 200
    assert client.get(reverse("meetings:manage", args=[other.pk])).status_code == 403
    response = client.post(
        reverse("meetings:manage", args=[other.pk]),
        {"action": "add_decision", "decision-text_en": "Forged"},
    )
    assert response.status_code == 403
    assert not other.decisions.exists()


@pytest.mark.parametrize("persona", ["presidency", "city_officer", "outsider", "other_secretariat"])
def test_other_roles_cannot_manage_a_meeting(client, request, commission, persona):
    meeting = make_meeting(commissions=[commission])
    _login(client, request.getfixturevalue(persona))
    for name in ("manage", "edit", "attendance", "report"):
        assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 403


def test_the_network_admin_manages_every_meeting(client, other_commission, administrator):
    meeting = make_meeting(commissions=[other_commission])
    _login(client, administrator)
    assert client.get(reverse("meetings:manage", args=[meeting.pk])).status_code == 200


def test_a_secretariat_creates_a_joint_meeting_in_venue_time(
    client, secretariat, commission, member_city
):
    _login(client, secretariat)
    response = client.post(
        reverse("meetings:create"),
        {
            "commissions": [commission.pk],
            "title_en": "Joint meeting",
            "title_fr": "Réunion conjointe",
            "time_zone": "Africa/Casablanca",
            "starts_at": "2030-10-01T09:00",
            "ends_at": "2030-10-01T18:00",
            "status": "planned",
            "visibility": "public",
            "host": member_city.pk,
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.local_start.hour == 9 and meeting.time_zone == "Africa/Casablanca"
    assert meeting.host == member_city


def test_a_secretariat_cannot_open_a_meeting_for_another_commission(
    client, secretariat, other_commission
):
    _login(client, secretariat)
    response = client.post(
        reverse("meetings:create"),
        {
            "commissions": [other_commission.pk],
            "title_en": "Forged",
            "time_zone": "UTC",
            "starts_at": "2030-10-01T09:00",
            "ends_at": "2030-10-01T18:00",
            "status": "planned",
            "visibility": "public",
        },
    )
    assert response.status_code == 200  # the commission is not among the choices
    assert not Meeting.objects.exists()


def test_end_before_start_is_refused_with_a_message(client, secretariat, commission):
    _login(client, secretariat)
    response = client.post(
        reverse("meetings:create"),
        {
            "commissions": [commission.pk],
            "title_en": "Backwards",
            "time_zone": "UTC",
            "starts_at": "2030-10-01T18:00",
            "ends_at": "2030-10-01T09:00",
            "status": "planned",
            "visibility": "public",
        },
    )
    assert "The meeting cannot end before it starts." in response.content.decode()
    assert not Meeting.objects.exists()


def test_attendance_is_taken_on_the_day(
    client, commission, officer_person, colleague, secretariat, durban_person
):
    meeting = make_meeting(commissions=[commission])
    services.register(meeting, officer_person, actor=None)
    services.register(meeting, colleague, actor=None)
    _login(client, secretariat)
    client.post(reverse("meetings:attendance", args=[meeting.pk]), {"present": [colleague.pk]})
    assert meeting.participations.get(person=colleague).status == ParticipationStatus.ATTENDED
    forged = client.post(
        reverse("meetings:attendance", args=[meeting.pk]), {"present": [durban_person.pk]}
    )
    assert forged.status_code == 400


def test_participant_names_follow_each_persons_visibility(client, commission, secretariat):
    meeting = make_meeting(commissions=[commission])
    public = make_person(first_name="Open", last_name="Book", contact_visibility=Visibility.PUBLIC)
    private = make_person(
        first_name="Very", last_name="Discreet", contact_visibility=Visibility.PRIVATE
    )
    for person in (public, private):
        services.register(meeting, person, actor=None)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Open Book" in page and "Very Discreet" not in page
    assert "2 registered representatives of 2 organisations" in page
    _login(client, secretariat)
    assert (
        "Very Discreet"
        in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    )


def test_minutes_drafts_are_for_the_secretariat_and_presidency(
    client, commission, presidency, city_officer
):
    meeting = make_meeting(commissions=[commission])
    services.save_minutes(meeting, "Draft text", actor=None)
    assert (
        "Draft text"
        not in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    )
    _login(client, presidency)
    assert (
        "Draft text" in client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    )
    assert (
        client.post(reverse("meetings:minutes", args=[meeting.pk]), {"text": "x"}).status_code
        == 403
    )
    _login(client, city_officer)
    assert client.get(reverse("meetings:minutes", args=[meeting.pk])).status_code == 403


def test_editing_approved_minutes_shows_a_message(client, commission, secretariat):
    meeting = make_meeting(commissions=[commission])
    services.save_minutes(meeting, "Final", actor=None)
    services.approve_minutes(meeting, actor=None)
    _login(client, secretariat)
    response = client.post(
        reverse("meetings:minutes", args=[meeting.pk]), {"text": "Changed"}, follow=True
    )
    assert "can no longer be edited" in response.content.decode()
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.text == "Final"


def test_the_ical_feed_is_valid_for_calendar_clients(client, commission):
    meeting = make_meeting(commissions=[commission], title="Joint meeting", venue="Town hall")
    calendar = Calendar.from_ical(client.get(reverse("meetings:ical", args=[meeting.pk])).content)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Joint meeting"
    assert event["dtstart"].dt == meeting.starts_at.replace(microsecond=0)
    assert "Town hall" in str(event["location"])
    network = Calendar.from_ical(
        client.get(reverse("meetings:calendar_ical"), {"commission": "planning"}).content
    )
    assert len(network.walk("VEVENT")) == 1


def test_my_calendar_lists_my_registrations(client, commission, officer_person, city_officer):
    meeting = make_meeting(commissions=[commission], title="Mine")
    make_meeting(commissions=[commission], title="Not mine")
    services.register(meeting, officer_person, actor=None)
    _login(client, city_officer)
    calendar = Calendar.from_ical(client.get(reverse("meetings:my_ical")).content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Mine"]


def test_the_list_page_keeps_a_query_budget(
    client, commission, digital, member_city, django_assert_max_num_queries
):
    for n in range(30):
        make_meeting(commissions=[commission, digital], title=f"M{n}", host=member_city)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:list")).status_code == 200


def test_a_meeting_with_200_participants_keeps_a_query_budget(
    client, commission, digital, member_city, secretariat, django_assert_max_num_queries
):
    meeting = make_meeting(commissions=[commission, digital], host=member_city)
    orgs = [make_organisation() for _ in range(20)]
    for n in range(200):
        services.register(meeting, make_person(organisation=orgs[n % 20]), actor=None)
    services.add_agenda_item(meeting, titles={"en": "Welcome"}, actor=None)
    services.record_decision(meeting, texts={"en": "Decide"}, actor=None)
    _login(client, secretariat)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert "200 registered representatives of 20 organisations" in response.content.decode()


def test_a_secretariat_edits_its_meeting(client, commission, member_city, secretariat):
    meeting = make_meeting(commissions=[commission], host=member_city)
    client.force_login(secretariat)
    form = client.get(reverse("meetings:edit", args=[meeting.pk]))
    assert form.status_code == 200
    response = client.post(
        reverse("meetings:edit", args=[meeting.pk]),
        {
            "commissions": [commission.pk],
            "title_en": "Renamed",
            "time_zone": "Africa/Casablanca",
            "starts_at": "2030-10-01T09:00",
            "ends_at": "2030-10-01T18:00",
            "status": "planned",
            "visibility": "members",
            "host": member_city.pk,
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.visibility) == ("Renamed", "members")


def test_the_registration_message_is_translated(client, commission, city_officer, officer_person):
    start = timezone.now() - timedelta(days=3)
    meeting = make_meeting(
        commissions=[commission], starts_at=start, ends_at=start + timedelta(hours=1)
    )
    city_officer.preferred_language = "fr"
    city_officer.save()
    _login(client, city_officer)
    response = client.post(
        reverse("meetings:register", args=[meeting.pk]),
        {"person": officer_person.pk},
        follow=True,
    )
    assert "la réunion est terminée" in response.content.decode()


def test_the_list_filters_by_region_of_the_host_city(client, commission, member_city):
    elsewhere = make_organisation(name="Far city")
    make_meeting(commissions=[commission], title="In Rabat", host=member_city)
    make_meeting(commissions=[commission], title="Far away", host=elsewhere)
    page = client.get(
        reverse("meetings:list"), {"region": member_city.region.code}
    ).content.decode()
    assert "In Rabat" in page and "Far away" not in page


def test_the_network_calendar_feed_keeps_a_query_budget_and_parses(
    client, commission, member_city, django_assert_max_num_queries
):
    for n in range(30):
        make_meeting(
            commissions=[commission],
            title=f"Meeting, {n}; with a long title " * 3,
            host=member_city,
        )
    with django_assert_max_num_queries(3):
        response = client.get(reverse("meetings:calendar_ical"))
    calendar = Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert len(summaries) == 30
    assert "Meeting, 0; with a long title " * 3 in summaries
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))


def test_visitors_see_a_new_meeting_a_new_title_and_a_moved_commission_at_once(
    client, commission, digital
):
    url = reverse("meetings:list")
    meeting = make_meeting(commissions=[commission], title="Open forum")
    assert "Open forum" in client.get(url, {"commission": "planning"}).content.decode()
    make_meeting(commissions=[commission], title="Second forum")
    meeting.title_en = "Open forum on water"
    meeting.save()
    page = client.get(url, {"commission": "planning"}).content.decode()
    assert "Second forum" in page
    assert "Open forum on water" in page
    meeting.commissions.set([digital])
    assert "Open forum on water" not in client.get(url, {"commission": "planning"}).content.decode()
    assert "Open forum on water" in client.get(url, {"commission": "digital"}).content.decode()
    meeting.delete()
    assert "Open forum on water" not in client.get(url).content.decode()


@pytest.mark.parametrize("meetings", [2, 25])
def test_visitors_read_the_list_in_the_same_queries_whatever_its_length(
    client, commission, digital, django_assert_max_num_queries, meetings
):
    for n in range(meetings):
        make_meeting(commissions=[commission, digital], title=f"Forum {n}")
    with django_assert_max_num_queries(9):
        page = client.get(reverse("meetings:list")).content.decode()
    assert f"Forum {meetings - 1}" in page
