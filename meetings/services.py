"""Every write to meetings: creation, agenda, invitations, registration, attendance, record."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import changed, record, snapshot
from notifications.events import record_event
from notifications.models import EventKind
from notifications.services import follow_meeting
from search.services import schedule_reindex
from uploads.formats import MEETING_REPORT, check_upload

from . import mail
from .models import (
    SEATED,
    AgendaItem,
    Decision,
    ExternalEvent,
    Invitation,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesVersion,
    Participation,
    ParticipationStatus,
    ReportDocument,
    Representation,
    validate_time_zone,
)

if TYPE_CHECKING:
    import datetime as dt

    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User
    from actions.models import Workstream
    from commissions.models import Commission
    from library.models import Document
    from network.models import Organisation, Person

TRANSLATED_MEETING_FIELDS = ("title", "purpose")


def _first_commission(meeting: Meeting) -> Commission | None:
    return meeting.commissions.order_by("pk").first()


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("meeting times must be aware datetimes")
    if ends_at < starts_at:
        raise ValidationError({"ends_at": _("The meeting cannot end before it starts.")})


@transaction.atomic
def create_meeting(
    *,
    commissions: Iterable,
    titles: dict[str, str],
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str = "UTC",
    purposes: dict[str, str] | None = None,
    host: Organisation | None = None,
    venue: str = "",
    online_url: str = "",
    visibility: str = "public",
    status: str = MeetingStatus.PLANNED,
    capacity: int | None = None,
    actor: User | None,
) -> Meeting:
    """Create a meeting of one commission, or a joint meeting of several."""
    commissions = list(commissions)
    if not commissions:
        raise ValidationError({"commissions": _("Choose at least one commission.")})
    if not any(titles.values()):
        raise ValidationError({"title": _("Give the meeting a title.")})
    _check_times(starts_at, ends_at)
    validate_time_zone(time_zone)
    meeting = Meeting(
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        host=host,
        venue=venue,
        online_url=online_url,
        visibility=visibility,
        status=status,
        capacity=capacity,
    )
    for code, value in titles.items():
        setattr(meeting, f"title_{code}", value)
    for code, value in (purposes or {}).items():
        setattr(meeting, f"purpose_{code}", value)
    meeting.full_clean(exclude=["commissions"])
    meeting.save()
    meeting.commissions.set(commissions)
    schedule_reindex("meeting", meeting.pk)
    record(
        "meetings.meeting.created",
        meeting,
        actor=actor,
        after=snapshot(meeting) | {"commissions": sorted(c.pk for c in commissions)},
        commission=commissions[0],
    )
    return meeting


@transaction.atomic
def update_meeting(
    meeting: Meeting,
    *,
    changes: dict,
    commissions: Iterable[Commission] | None = None,
    actor: User | None,
) -> Meeting:
    """Change a meeting's fields (`title_fr`, `starts_at`, `status`...) and commissions."""
    before = snapshot(meeting)
    for name, value in changes.items():
        setattr(meeting, name, value)
    _check_times(meeting.starts_at, meeting.ends_at)
    meeting.full_clean(exclude=["commissions"])
    meeting.save()
    if commissions is not None:
        commissions = list(commissions)
        if not commissions:
            raise ValidationError({"commissions": _("Choose at least one commission.")})
        meeting.commissions.set(commissions)
    schedule_reindex("meeting", meeting.pk)
    old, new = changed(before, snapshot(meeting))
    record(
        "meetings.meeting.updated",
        meeting,
        actor=actor,
        before=old,
        after=new,
        commission=_first_commission(meeting),
    )
    if new:
        cancelled = new.get("status") == MeetingStatus.CANCELLED
        kind = EventKind.MEETING_CANCELLED if cancelled else EventKind.MEETING_CHANGED
        record_event(kind, meeting, actor=actor)
    return meeting


@transaction.atomic
def add_agenda_item(
    meeting: Meeting,
    *,
    titles: dict[str, str],
    descriptions: dict[str, str] | None = None,
    duration_minutes: int | None = None,
    actor: User | None,
) -> AgendaItem:
    """Append an item at the end of the meeting's agenda."""
    if not any(titles.values()):
        raise ValidationError({"title": _("Give the agenda item a title.")})
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
    item = AgendaItem(meeting=meeting, position=(last or 0) + 1, duration_minutes=duration_minutes)
    for code, value in titles.items():
        setattr(item, f"title_{code}", value)
    for code, value in (descriptions or {}).items():
        setattr(item, f"description_{code}", value)
    item.save()
    record("meetings.agenda_item.created", item, actor=actor, after=snapshot(item))
    return item


@transaction.atomic
def move_agenda_item(item: AgendaItem, *, offset: int, actor: User | None) -> None:
    """Move an item up (-1) or down (+1) the agenda, renumbering it 1, 2, 3..."""
    items = list(item.meeting.agenda_items.select_for_update().order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])
    record("meetings.agenda_item.moved", item, actor=actor, after={"position": target + 1})


@transaction.atomic
def remove_agenda_item(item: AgendaItem, *, actor: User | None) -> None:
    record("meetings.agenda_item.deleted", item, actor=actor, before=snapshot(item))
    item.delete()


@transaction.atomic
def invite(
    meeting: Meeting, *, organisations: Iterable = (), people: Iterable = (), actor: User | None
) -> list:
    """Invite chosen organisations and people, each once; returns the new invitations.

    A person is invited with their organisation. The invitation e-mails leave after the
    commit, from the background worker, each in its reader's language. An invitation
    nobody can receive (no e-mail address anywhere) has `no_address` set and no e-mail.
    """
    organisations = {org.pk: org for org in organisations}
    people = {person.pk: person for person in people}
    orphans = [person.full_name for person in people.values() if person.organisation_id is None]
    if orphans:
        raise ValidationError(
            _("%(people)s belong to no organisation: add it in the directory first.")
            % {"people": ", ".join(sorted(orphans))}
        )
    invited_orgs = set(
        meeting.invitations.filter(person=None, organisation_id__in=organisations).values_list(
            "organisation_id", flat=True
        )
    )
    invited_people = set(
        meeting.invitations.filter(person_id__in=people).values_list("person_id", flat=True)
    )
    by = actor if getattr(actor, "is_authenticated", False) else None
    new = [
        Invitation(meeting=meeting, organisation_id=pk, invited_by=by)
        for pk in organisations
        if pk not in invited_orgs
    ] + [
        Invitation(
            meeting=meeting, organisation_id=person.organisation_id, person=person, invited_by=by
        )
        for pk, person in people.items()
        if pk not in invited_people
    ]
    Invitation.objects.bulk_create(new)
    if not new:
        return []
    # Nobody to write to: recorded as such now, so the inviter is told, and not e-mailed.
    for invitation in new:
        if invitation.person_id is None:
            invitation.organisation = organisations[invitation.organisation_id]
        else:
            invitation.person = people[invitation.person_id]
    unreachable = mail.unreachable(new)
    if unreachable:
        Invitation.objects.filter(pk__in=unreachable).update(no_address=True)
    for invitation in new:
        invitation.no_address = invitation.pk in unreachable
    ids = [invitation.pk for invitation in new if not invitation.no_address]
    record(
        "meetings.meeting.invited",
        meeting,
        actor=actor,
        after={
            "organisations": sorted(i.organisation_id for i in new if not i.person_id),
            "people": sorted(i.person_id for i in new if i.person_id),
        },
        commission=_first_commission(meeting),
    )
    from .tasks import send_meeting_invitations

    if ids:
        transaction.on_commit(lambda: send_meeting_invitations.enqueue(ids), robust=True)
    return new


def no_address_message(invitations: list) -> str:
    """What the inviter is told about invitations nobody could receive."""
    names = sorted(
        invitation.person.full_name if invitation.person_id else invitation.organisation.name
        for invitation in invitations
    )
    return ngettext(
        "No e-mail could be sent to %(names)s: there is no e-mail address, neither its own "
        "nor a representative's. The invitation is recorded; add an address in the directory.",
        "No e-mail could be sent to %(names)s: there is no e-mail address, neither their own "
        "nor a representative's. The invitations are recorded; add addresses in the directory.",
        len(names),
    ) % {"names": ", ".join(names)}


def invite_organisations(meeting: Meeting, organisations: Iterable, *, actor: User | None) -> int:
    """Invite organisations (once each); returns how many new invitations were made."""
    return len(invite(meeting, organisations=organisations, actor=actor))


def invite_commission_members(meeting: Meeting, *, actor: User | None) -> int:
    """Invite every member organisation of the meeting's commissions."""
    from network.models import Organisation

    members = Organisation.objects.filter(commissions__in=meeting.commissions.all()).distinct()
    return invite_organisations(meeting, members, actor=actor)


def seats_taken(meeting: Meeting) -> int:
    return meeting.participations.filter(status__in=SEATED).count()


def _lock(meeting: Meeting) -> Meeting:
    # Serialises registrations to one meeting, so two people cannot take the last seat.
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def register(
    meeting: Meeting, person: Person, *, actor: User | None, now: datetime | None = None
) -> Participation:
    """Register a person; past capacity they go on the waiting list.

    The person's current organisation is recorded as of this meeting.
    """
    meeting = _lock(meeting)
    now = now or timezone.now()
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.ends_at < now:
        raise ValidationError(_("Registration is closed: the meeting is over."))
    participation = Participation.objects.filter(meeting=meeting, person=person).first()
    if participation is not None and participation.status != ParticipationStatus.CANCELLED:
        raise ValidationError(_("%(person)s is already registered.") % {"person": person.full_name})
    full = meeting.capacity is not None and seats_taken(meeting) >= meeting.capacity
    status = ParticipationStatus.WAITING if full else ParticipationStatus.REGISTERED
    if participation is None:
        participation = Participation(meeting=meeting, person=person)
    participation.organisation_id = person.organisation_id
    participation.status = status
    participation.registered_at = now
    participation.registered_by = actor if getattr(actor, "is_authenticated", False) else None
    participation.save()
    record(
        "meetings.participation.registered",
        participation,
        actor=actor,
        after=snapshot(participation),
        commission=_first_commission(meeting),
    )
    follow_meeting(meeting, person)
    return participation


def _promote_waiting(meeting: Meeting, *, actor: User | None) -> Participation | None:
    if meeting.capacity is not None and seats_taken(meeting) >= meeting.capacity:
        return None
    first = (
        meeting.participations.filter(status=ParticipationStatus.WAITING)
        .order_by("registered_at", "id")
        .first()
    )
    if first is not None:
        first.status = ParticipationStatus.REGISTERED
        first.save(update_fields=["status"])
        record(
            "meetings.participation.promoted",
            first,
            actor=actor,
            before={"status": ParticipationStatus.WAITING},
            after={"status": ParticipationStatus.REGISTERED},
        )
    return first


@transaction.atomic
def cancel_registration(
    participation: Participation, *, actor: User | None
) -> Participation | None:
    """Cancel a registration; the first on the waiting list takes the seat freed.

    Returns the participation promoted from the waiting list, if any.
    """
    meeting = _lock(participation.meeting)
    participation.refresh_from_db()
    if participation.status == ParticipationStatus.CANCELLED:
        return None
    if participation.status == ParticipationStatus.ATTENDED:
        raise ValidationError(_("An attendance already recorded cannot be cancelled."))
    before = participation.status
    participation.status = ParticipationStatus.CANCELLED
    participation.save(update_fields=["status"])
    record(
        "meetings.participation.cancelled",
        participation,
        actor=actor,
        before={"status": before},
        after={"status": participation.status},
        commission=_first_commission(meeting),
    )
    if before == ParticipationStatus.REGISTERED:
        return _promote_waiting(meeting, actor=actor)
    return None


@transaction.atomic
def record_attendance(
    meeting: Meeting, present_person_ids: Iterable[int], *, actor: User | None
) -> dict:
    """Take attendance on the day: the people ticked attended, the others did not.

    People present without a registration are added. Returns counts of changes.
    """
    from network.models import Person

    meeting = _lock(meeting)
    present = set(int(pk) for pk in present_person_ids)
    by_person = {p.person_id: p for p in meeting.participations.all()}
    marked = unmarked = added = 0
    for person_id, participation in by_person.items():
        if person_id in present and participation.status != ParticipationStatus.ATTENDED:
            participation.status = ParticipationStatus.ATTENDED
            participation.save(update_fields=["status"])
            marked += 1
        elif person_id not in present and participation.status == ParticipationStatus.ATTENDED:
            participation.status = ParticipationStatus.REGISTERED
            participation.save(update_fields=["status"])
            unmarked += 1
    walk_ins = Person.objects.filter(pk__in=present - set(by_person)).only("pk", "organisation_id")
    for person in walk_ins:
        Participation.objects.create(
            meeting=meeting,
            person=person,
            organisation_id=person.organisation_id,
            status=ParticipationStatus.ATTENDED,
            registered_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        added += 1
    result = {"marked": marked, "unmarked": unmarked, "added": added}
    record(
        "meetings.meeting.attendance_recorded",
        meeting,
        actor=actor,
        after=result,
        commission=_first_commission(meeting),
    )
    return result


# --- the record ---------------------------------------------------------------------------


@transaction.atomic
def save_minutes(meeting: Meeting, text: str, *, actor: User | None) -> Minutes:
    """Save the draft minutes; each save is kept as a version. Approved minutes are locked."""
    minutes, _created = Minutes.objects.select_for_update().get_or_create(meeting=meeting)
    if minutes.is_locked:
        raise ValidationError(_("The minutes are approved and can no longer be edited."))
    before = minutes.text
    minutes.text = text
    minutes.save(update_fields=["text"])
    last = minutes.versions.aggregate(last=Max("number"))["last"] or 0
    MinutesVersion.objects.create(
        minutes=minutes,
        number=last + 1,
        text=text,
        saved_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(
        "meetings.minutes.saved",
        minutes,
        actor=actor,
        before={"text": before},
        after={"text": text, "version": last + 1},
        commission=_first_commission(meeting),
    )
    return minutes


@transaction.atomic
def approve_minutes(meeting: Meeting, *, actor: User | None) -> Minutes:
    """Approve the minutes: from now on they are locked."""
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None or not minutes.text.strip():
        raise ValidationError(_("Write the minutes before approving them."))
    if minutes.is_locked:
        raise ValidationError(_("The minutes are already approved."))
    minutes.status = "approved"
    minutes.approved_at = timezone.now()
    minutes.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    minutes.save(update_fields=["status", "approved_at", "approved_by"])
    record(
        "meetings.minutes.approved",
        minutes,
        actor=actor,
        before={"status": "draft"},
        after={"status": "approved"},
        commission=_first_commission(meeting),
    )
    record_event(EventKind.MINUTES_APPROVED, meeting, actor=actor)
    return minutes


@transaction.atomic
def publish_report(
    meeting: Meeting,
    *,
    language: str,
    title: str,
    text: str = "",
    file: UploadedFile | None = None,
    actor: User | None,
) -> ReportDocument:
    """Publish (or replace) the meeting report in one language: a text, a file, or both."""
    if not text.strip() and not file:
        raise ValidationError(_("Give the report a text or a file."))
    report = ReportDocument.objects.filter(meeting=meeting, language=language).first()
    before = snapshot(report) if report else None
    if report is None:
        report = ReportDocument(meeting=meeting, language=language)
    report.title = title
    report.text = text
    if file:
        check_upload(file, MEETING_REPORT)
        report.file = file
    report.full_clean()
    report.save()
    record(
        "meetings.report.published",
        report,
        actor=actor,
        before=before,
        after=snapshot(report),
        commission=_first_commission(meeting),
    )
    record_event(EventKind.REPORT_PUBLISHED, meeting, actor=actor)
    return report


@transaction.atomic
def record_decision(meeting: Meeting, *, texts: dict[str, str], actor: User | None) -> Decision:
    """Record a decision; it takes the next number within the meeting."""
    if not any(value.strip() for value in texts.values()):
        raise ValidationError({"text": _("Write the decision.")})
    _lock(meeting)
    last = meeting.decisions.aggregate(last=Max("number"))["last"] or 0
    decision = Decision(meeting=meeting, number=last + 1)
    for code, value in texts.items():
        setattr(decision, f"text_{code}", value)
    decision.save()
    record(
        "meetings.decision.recorded",
        decision,
        actor=actor,
        after=snapshot(decision),
        commission=_first_commission(meeting),
    )
    record_event(EventKind.DECISION_RECORDED, meeting, actor=actor)
    return decision


# --- external events and representation -------------------------------------------------


@transaction.atomic
def create_external_event(
    *,
    titles: dict[str, str],
    organiser: str,
    starts_on: dt.date,
    ends_on: dt.date,
    commissions: Iterable,
    place: str = "",
    url: str = "",
    workstream: Workstream | None = None,
    actor: User | None,
) -> ExternalEvent:
    """Record an event the network does not organise, where it will be represented."""
    commissions = list(commissions)
    if not commissions:
        raise ValidationError({"commissions": _("Choose at least one commission.")})
    if not any(titles.values()):
        raise ValidationError({"title": _("Give the event a title.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The event cannot end before it starts.")})
    event = ExternalEvent(
        organiser=organiser,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        url=url,
        workstream=workstream,
    )
    for code, value in titles.items():
        setattr(event, f"title_{code}", value)
    event.full_clean(exclude=["commissions"])
    event.save()
    event.commissions.set(commissions)
    record(
        "meetings.external_event.created",
        event,
        actor=actor,
        after=snapshot(event),
        commission=commissions[0],
    )
    return event


@transaction.atomic
def add_representation(
    event: ExternalEvent,
    *,
    organisation: Organisation,
    person: Person | None = None,
    mandates: dict[str, str],
    actor: User | None,
) -> Representation:
    """Mandate an organisation (and one of its people) to represent the network."""
    if person is not None and person.organisation_id != organisation.pk:
        raise ValidationError({"person": _("The person must belong to the organisation.")})
    if event.representations.filter(organisation=organisation).exists():
        raise ValidationError(_("This organisation already represents the network there."))
    representation = Representation(event=event, organisation=organisation, person=person)
    for code, value in mandates.items():
        setattr(representation, f"mandate_{code}", value)
    representation.save()
    record(
        "meetings.representation.created",
        representation,
        actor=actor,
        after=snapshot(representation),
    )
    return representation


@transaction.atomic
def report_back(representation: Representation, text: str, *, actor: User | None) -> Representation:
    """The representatives' report back after the event."""
    if not text.strip():
        raise ValidationError({"report_back": _("Write the report back.")})
    before = representation.report_back
    representation.report_back = text
    representation.reported_at = timezone.now()
    representation.save(update_fields=["report_back", "reported_at"])
    record(
        "meetings.representation.reported",
        representation,
        actor=actor,
        before={"report_back": before},
        after={"report_back": text},
    )
    return representation


@transaction.atomic
def set_representation_documents(
    representation: Representation, documents: Iterable[Document], *, actor: User | None
) -> None:
    """The library documents that support a mandate or its report back."""
    before = sorted(representation.documents.values_list("pk", flat=True))
    representation.documents.set(documents)
    after = sorted(representation.documents.values_list("pk", flat=True))
    if before != after:
        record(
            "meetings.representation.documents_changed",
            representation,
            actor=actor,
            before={"documents": before},
            after={"documents": after},
        )
