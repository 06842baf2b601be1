from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from meetings import services
from meetings.models import Meeting, MinutesVersion, ParticipationStatus
from meetings.statistics import participant_statistics

from .factories import make_meeting, make_organisation, make_person, rabat_time

pytestmark = pytest.mark.django_db


def test_a_joint_meeting_belongs_to_both_commissions_and_is_audited(
    commission, digital, member_city
):
    meeting = make_meeting(commissions=[commission, digital], host=member_city)
    assert set(meeting.commissions.all()) == {commission, digital}
    assert meeting.is_joint
    assert AuditEntry.objects.filter(action="meetings.meeting.created").count() == 1


def test_a_meeting_cannot_end_before_it_starts(commission):
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError):
        make_meeting(commissions=[commission], starts_at=start, ends_at=start - timedelta(hours=1))
    assert not Meeting.objects.exists()


def test_an_unknown_time_zone_is_refused(commission):
    with pytest.raises(ValidationError):
        make_meeting(commissions=[commission], time_zone="Mars/Olympus")


def test_times_are_shown_in_the_venue_zone(commission):
    meeting = make_meeting(
        commissions=[commission],
        starts_at=rabat_time(2013, 10, 1, 9, 0),
        ends_at=rabat_time(2013, 10, 1, 18, 0),
    )
    meeting.refresh_from_db()
    assert meeting.local_start.hour == 9
    assert meeting.starts_at.utcoffset() == timedelta(0)


def test_past_capacity_people_go_on_the_waiting_list_and_are_promoted(
    commission, officer_person, city_officer, colleague
):
    meeting = make_meeting(commissions=[commission], capacity=1)
    first = services.register(meeting, officer_person, actor=city_officer)
    second = services.register(meeting, colleague, actor=city_officer)
    assert first.status == ParticipationStatus.REGISTERED
    assert second.status == ParticipationStatus.WAITING
    promoted = services.cancel_registration(first, actor=city_officer)
    assert promoted == second
    second.refresh_from_db()
    assert second.status == ParticipationStatus.REGISTERED


def test_the_organisation_is_recorded_as_of_the_meeting(
    commission, officer_person, city_officer, durban, member_city
):
    meeting = make_meeting(commissions=[commission])
    participation = services.register(meeting, officer_person, actor=city_officer)
    officer_person.organisation = durban
    officer_person.save()
    participation.refresh_from_db()
    assert participation.organisation == member_city


def test_registering_after_the_meeting_is_refused(commission, officer_person, city_officer):
    start = timezone.now() - timedelta(days=2)
    meeting = make_meeting(
        commissions=[commission], starts_at=start, ends_at=start + timedelta(hours=2)
    )
    with pytest.raises(ValidationError, match="over"):
        services.register(meeting, officer_person, actor=city_officer)
    assert not meeting.participations.exists()


def test_registering_twice_is_refused(commission, officer_person, city_officer):
    meeting = make_meeting(commissions=[commission])
    services.register(meeting, officer_person, actor=city_officer)
    with pytest.raises(ValidationError, match="already registered"):
        services.register(meeting, officer_person, actor=city_officer)


def test_attendance_marks_present_people_and_adds_walk_ins(
    commission, officer_person, city_officer, colleague, durban_person, secretariat
):
    meeting = make_meeting(commissions=[commission])
    services.register(meeting, officer_person, actor=city_officer)
    services.register(meeting, colleague, actor=city_officer)
    result = services.record_attendance(
        meeting, [officer_person.pk, durban_person.pk], actor=secretariat
    )
    assert result == {"marked": 1, "unmarked": 0, "added": 1}
    statuses = dict(meeting.participations.values_list("person_id", "status"))
    assert statuses[officer_person.pk] == ParticipationStatus.ATTENDED
    assert statuses[colleague.pk] == ParticipationStatus.REGISTERED
    assert statuses[durban_person.pk] == ParticipationStatus.ATTENDED


def test_statistics_count_people_organisations_and_regions(commission, officer_person, colleague):
    meeting = make_meeting(commissions=[commission])
    far = make_organisation(country=make_organisation().country, name="Far")
    other = make_organisation(name="Elsewhere", country=make_organisation().country)
    for person in [officer_person, colleague, make_person(organisation=far)]:
        services.register(meeting, person, actor=None)
    services.register(meeting, make_person(organisation=other), actor=None)
    stats = participant_statistics(meeting)
    assert stats.people == 4
    assert stats.organisations == 3
    assert stats.regions == 3
    assert sum(n for _kind, n in stats.by_kind) == 4


def test_agenda_items_are_numbered_and_can_be_moved(commission):
    meeting = make_meeting(commissions=[commission])
    first = services.add_agenda_item(meeting, titles={"en": "Welcome"}, actor=None)
    second = services.add_agenda_item(meeting, titles={"en": "Learning agenda"}, actor=None)
    services.move_agenda_item(second, offset=-1, actor=None)
    assert [item.title for item in meeting.agenda_items.all()] == ["Learning agenda", "Welcome"]
    assert first.pk


def test_approved_minutes_are_locked_and_their_history_kept(commission, secretariat):
    meeting = make_meeting(commissions=[commission])
    services.save_minutes(meeting, "Draft one", actor=secretariat)
    services.save_minutes(meeting, "Draft two", actor=secretariat)
    services.approve_minutes(meeting, actor=secretariat)
    with pytest.raises(ValidationError, match="approved"):
        services.save_minutes(meeting, "Sneaky change", actor=secretariat)
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.text == "Draft two"
    assert list(MinutesVersion.objects.values_list("number", flat=True)) == [2, 1]


def test_decisions_are_numbered_within_the_meeting(commission):
    meeting = make_meeting(commissions=[commission])
    other = make_meeting(commissions=[commission])
    services.record_decision(other, texts={"en": "Elsewhere"}, actor=None)
    one = services.record_decision(meeting, texts={"en": "Finalise the framework"}, actor=None)
    two = services.record_decision(meeting, texts={"fr": "Soutenir les partenariats"}, actor=None)
    assert (one.number, two.number) == (1, 2)


def test_a_report_needs_a_text_or_a_file(commission):
    meeting = make_meeting(commissions=[commission])
    with pytest.raises(ValidationError):
        services.publish_report(meeting, language="fr", title="Rapport", actor=None)
    report = services.publish_report(
        meeting, language="fr", title="Rapport", text="La réunion...", actor=None
    )
    assert meeting.reports.get() == report
