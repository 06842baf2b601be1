"""A circular drafted: its texts, from scratch or a meeting, and its audience."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import changed, record, snapshot
from entrevilles.languages import language_name
from network.models import OrganisationKind

from .. import markup
from ..models import Circular, CircularKind, CircularStatus, Segment, SegmentKind
from .common import _first_commission, _transition

if TYPE_CHECKING:
    from accounts.models import User
    from meetings.models import Meeting


TEXT_FIELDS = [f"{name}_{code}" for name in ("subject", "body") for code in settings.LANGUAGE_CODES]


def clean_texts(
    subjects: dict[str, str], bodies: dict[str, str], original_language: str
) -> dict[str, str]:
    """Check the language versions; returns the column values. One version is required
    (the original language's); any other is optional but must have both a subject and a
    body; placeholders must be known."""
    if original_language not in settings.LANGUAGE_CODES:
        raise ValidationError({"original_language": _("Choose English, French or Spanish.")})
    values: dict[str, str] = {}
    errors: dict[str, list] = {}
    for code in settings.LANGUAGE_CODES:
        subject = (subjects.get(code) or "").strip()
        body = (bodies.get(code) or "").strip()
        if bool(subject) != bool(body):
            errors.setdefault(f"body_{code}" if subject else f"subject_{code}", []).append(
                _("Write both the subject and the body of the %(language)s version, or neither.")
                % {"language": language_name(code, in_sentence=True)}
            )
        if code == original_language and not (subject and body):
            errors.setdefault(f"subject_{code}", []).append(
                _("The original language's version (%(language)s) is required.")
                % {"language": language_name(code, in_sentence=True)}
            )
        for field, text in ((f"subject_{code}", subject), (f"body_{code}", body)):
            try:
                markup.check_placeholders(text)
            except ValidationError as error:
                errors.setdefault(field, []).extend(error.messages)
        if len(subject) > 250:
            errors.setdefault(f"subject_{code}", []).append(
                _("A subject has at most 250 characters.")
            )
        values[f"subject_{code}"] = subject
        values[f"body_{code}"] = body + "\n" if body else ""
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def create_circular(
    *,
    kind: str,
    commissions: Iterable,
    original_language: str,
    subjects: dict[str, str],
    bodies: dict[str, str],
    meetings: Iterable = (),
    documents: Iterable = (),
    actions: Iterable = (),
    actor: User | None,
) -> Circular:
    if kind not in CircularKind.values:
        raise ValidationError({"kind": _("Choose a kind of circular.")})
    values = clean_texts(subjects, bodies, original_language)
    circular = Circular.objects.create(
        kind=kind,
        original_language=original_language,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **values,
    )
    circular.commissions.set(list(commissions))
    circular.meetings.set(list(meetings))
    circular.documents.set(list(documents))
    circular.actions.set(list(actions))
    _transition(circular, CircularStatus.DRAFT, actor=actor)
    record(
        "circulars.circular.created",
        circular,
        actor=actor,
        after=snapshot(circular),
        commission=_first_commission(circular),
    )
    return circular


@transaction.atomic
def update_circular(
    circular: Circular,
    *,
    kind: str,
    commissions: Iterable,
    original_language: str,
    subjects: dict[str, str],
    bodies: dict[str, str],
    meetings: Iterable = (),
    documents: Iterable = (),
    actions: Iterable = (),
    actor: User | None,
) -> Circular:
    """Edit a circular not yet being sent; an approved one goes back to draft."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.is_locked:
        raise ValidationError(_("A circular cannot be changed once sending has started."))
    if kind not in CircularKind.values:
        raise ValidationError({"kind": _("Choose a kind of circular.")})
    values = clean_texts(subjects, bodies, original_language)
    before = snapshot(circular)
    circular.kind = kind
    circular.original_language = original_language
    for field, value in values.items():
        setattr(circular, field, value)
    if circular.status != CircularStatus.DRAFT:
        _transition(
            circular, CircularStatus.DRAFT, actor=actor, note=_("Edited: approval withdrawn.")
        )
        circular.approved_by = None
        circular.approved_at = None
        circular.scheduled_for = None
    circular.save()
    circular.commissions.set(list(commissions))
    circular.meetings.set(list(meetings))
    circular.documents.set(list(documents))
    circular.actions.set(list(actions))
    old, new = changed(before, snapshot(circular))
    record(
        "circulars.circular.updated",
        circular,
        actor=actor,
        before=old,
        after=new,
        commission=_first_commission(circular),
    )
    return circular


@transaction.atomic
def delete_circular(circular: Circular, *, actor: User | None) -> None:
    if circular.status not in (CircularStatus.DRAFT, CircularStatus.APPROVED):
        raise ValidationError(_("Only a circular that was never sent can be deleted."))
    record(
        "circulars.circular.deleted",
        circular,
        actor=actor,
        before=snapshot(circular),
        commission=_first_commission(circular),
    )
    circular.delete()


def _clean_segment(data: dict) -> dict:
    kind = data.get("kind")
    if kind not in SegmentKind.values:
        raise ValidationError(_("Choose what the segment is made of."))
    needed = {
        SegmentKind.COMMISSION_MEMBERS: "commission",
        SegmentKind.ORGANISATION_KIND: "organisation_kind",
        SegmentKind.REGION: "region",
        SegmentKind.MEETING_PARTICIPANTS: "meeting",
        SegmentKind.PEOPLE: "people",
    }.get(kind)
    if needed and not data.get(needed):
        raise ValidationError(
            _("This segment needs its %(what)s.")
            % {"what": Segment._meta.get_field(needed).verbose_name}  # type: ignore[union-attr]  # a field of the segment, never a reverse relation
        )
    if (
        kind == SegmentKind.ORGANISATION_KIND
        and data["organisation_kind"] not in OrganisationKind.values
    ):
        raise ValidationError(_("Choose a kind of organisation."))
    return {
        "kind": kind,
        "exclude": bool(data.get("exclude")),
        "commission": data.get("commission") if needed == "commission" else None,
        "organisation_kind": data.get("organisation_kind", "")
        if needed == "organisation_kind"
        else "",
        "region": data.get("region") if needed == "region" else None,
        "meeting": data.get("meeting") if needed == "meeting" else None,
        "people": list(data.get("people") or []) if needed == "people" else [],
    }


@transaction.atomic
def set_audience(circular: Circular, segments: list[dict], *, actor: User | None) -> list[Segment]:
    """Replace the circular's audience by these segments (include and exclude)."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.is_locked:
        raise ValidationError(_("The audience cannot be changed once sending has started."))
    cleaned = [_clean_segment(data) for data in segments]
    before = [
        s.describe() for s in circular.segments.select_related("commission", "region", "meeting")
    ]
    circular.segments.all().delete()
    created = []
    for data in cleaned:
        people = data.pop("people")
        segment = Segment.objects.create(circular=circular, **data)
        if people:
            segment.people.set(people)
        created.append(segment)
    record(
        "circulars.circular.audience",
        circular,
        actor=actor,
        before={"segments": before},
        after={"segments": [("-" if s.exclude else "+") + s.describe() for s in created]},
        commission=_first_commission(circular),
    )
    return created


@transaction.atomic
def draft_from_meeting(meeting: Meeting, *, original_language: str, actor: User | None) -> Circular:
    """A draft meeting-outcome circular in every language, addressed to the members of
    the meeting's commissions and to the partners, for the secretariat to edit."""
    from ..composer import draft_from_meeting as compose

    draft = compose(meeting)
    commissions = list(meeting.commissions.all())
    circular = create_circular(
        kind=CircularKind.MEETING_OUTCOME,
        commissions=commissions,
        original_language=original_language,
        subjects=draft.subjects,
        bodies=draft.bodies,
        meetings=[meeting],
        documents=draft.document_ids,
        actions=draft.action_ids,
        actor=actor,
    )
    set_audience(
        circular,
        [{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": c} for c in commissions]
        + [{"kind": SegmentKind.PARTNERS}],
        actor=actor,
    )
    return circular
