"""Invitations, registration with its waiting list, and attendance."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import record, snapshot

from .. import mail
from ..models import SEATED, Invitation, Meeting, MeetingStatus, Participation, ParticipationStatus
from ..notifying import follow_meeting
from .common import _first_commission, _lock

if TYPE_CHECKING:
    from accounts.models import User
    from network.models import Person


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
    from ..tasks import send_meeting_invitations

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
