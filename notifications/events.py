"""Recording events. Services call `record_event(kind, obj, actor=...)` inside their
transaction; this module knows, for each kind of object, what it concerns (the things one
follows), its title in each language, its address and who may hear of it. The fan-out is
enqueued when the transaction commits, so a rolled-back change notifies nobody."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse

from .models import Event, EventKind, EventVisibility, TargetType


@dataclass
class Described:
    subject_type: str
    targets: list[tuple[str, int]]
    titles: dict[str, str]
    url: str
    visibility: str


def _titles(obj: models.Model, field: str) -> dict[str, str]:
    """The field in every language it has, e.g. {"en": ..., "es": ...}."""
    titles = {}
    for code in settings.LANGUAGE_CODES:
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            titles[code] = str(value)
    if not titles:
        titles[settings.LANGUAGE_CODE] = str(obj)
    return titles


def _ids(related) -> list[int]:
    return list(related.values_list("pk", flat=True))


def _experience(experience) -> Described:
    targets = [(TargetType.THEME, pk) for pk in _ids(experience.themes)]
    targets.append((TargetType.ORGANISATION, experience.city_id))
    return Described(
        "experience",
        targets,
        _titles(experience, "title"),
        reverse("library:experience", args=[experience.pk]),
        EventVisibility.PUBLIC,
    )


def _meeting(meeting) -> Described:
    from meetings.models import MeetingVisibility

    targets = [(TargetType.MEETING, meeting.pk)]
    targets += [(TargetType.COMMISSION, pk) for pk in _ids(meeting.commissions)]
    public = meeting.visibility == MeetingVisibility.PUBLIC
    return Described(
        "meeting",
        targets,
        _titles(meeting, "title"),
        reverse("meetings:detail", args=[meeting.pk]),
        EventVisibility.PUBLIC if public else EventVisibility.MEMBERS,
    )


def _action(action) -> Described:
    targets = [(TargetType.ACTION, action.pk)]
    targets += [(TargetType.COMMISSION, pk) for pk in _ids(action.owner_commissions)]
    return Described(
        "action",
        targets,
        _titles(action, "title"),
        reverse("actions:detail", args=[action.pk]),
        EventVisibility.PUBLIC,
    )


def _partnership(partnership) -> Described:
    targets = [(TargetType.PARTNERSHIP, partnership.pk)]
    if partnership.facilitating_commission_id:
        targets.append((TargetType.COMMISSION, partnership.facilitating_commission_id))
    targets += [
        (TargetType.ORGANISATION, org_id)
        for org_id in partnership.parties.values_list("organisation_id", flat=True)
    ]
    return Described(
        "partnership",
        targets,
        _titles(partnership, "title"),
        reverse("learning:partnership", args=[partnership.pk]),
        # Proposals are seen only by their parties and facilitators: asked per person.
        EventVisibility.CHECK,
    )


def _group(group) -> Described:
    return Described(
        "group",
        [
            (TargetType.GROUP, group.pk),
            (TargetType.COMMISSION, group.facilitating_commission_id),
        ],
        _titles(group, "name"),
        reverse("learning:group", args=[group.slug]),
        # Members-only groups are seen by their members and secretariat: asked per person.
        EventVisibility.CHECK,
    )


def _need(need) -> Described:
    return Described(
        "need",
        [(TargetType.NEED, need.pk), (TargetType.ORGANISATION, need.city_id)],
        _titles(need, "title"),
        reverse("learning:need", args=[need.pk]),
        EventVisibility.CHECK,
    )


def _document(document) -> Described:
    from library.models import DocumentVisibility

    targets = [(TargetType.THEME, pk) for pk in _ids(document.themes)]
    targets += [(TargetType.COMMISSION, pk) for pk in _ids(document.commissions)]
    public = document.visibility == DocumentVisibility.PUBLIC
    return Described(
        "document",
        targets,
        _titles(document, "title"),
        reverse("library:document", args=[document.pk]),
        EventVisibility.PUBLIC if public else EventVisibility.MEMBERS,
    )


def _circular(circular) -> Described:
    return Described(
        "circular",
        [(TargetType.COMMISSION, pk) for pk in _ids(circular.commissions)],
        _titles(circular, "subject"),
        reverse("circulars:archive_circular", args=[circular.pk]),
        EventVisibility.PUBLIC,
    )


DESCRIBERS: dict[str, Callable[[models.Model], Described]] = {
    "library.experience": _experience,
    "meetings.meeting": _meeting,
    "actions.action": _action,
    "learning.partnership": _partnership,
    "learning.learningneed": _need,
    "learning.learninggroup": _group,
    "circulars.circular": _circular,
    "library.document": _document,
}


def record_event(kind: str, obj: models.Model, *, actor=None, targets=None) -> Event:
    """Record that `kind` happened to `obj`; its followers hear of it after the commit.

    `targets` narrows who hears of it to the followers of those things only.
    """
    described = DESCRIBERS[obj._meta.label_lower](obj)
    if targets is not None:
        described.targets = targets
    event = Event.objects.create(
        kind=EventKind(kind),
        targets=[[str(t), int(i)] for t, i in dict.fromkeys(described.targets)],
        subject_type=described.subject_type,
        subject_id=obj.pk,
        titles=described.titles,
        url=described.url,
        visibility=described.visibility,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )

    def enqueue(event_id=event.pk):
        from .tasks import fan_out_event

        fan_out_event.enqueue(event_id)

    transaction.on_commit(enqueue)
    return event
