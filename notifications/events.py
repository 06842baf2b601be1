"""Recording events. Services call `record_event(kind, obj, actor=...)` inside their
transaction; the object's app tells, through `registry.register_events`, what it concerns
(the things one follows), its title in each language, its address and who may hear of it.
The fan-out is enqueued when the transaction commits, so a rolled-back change notifies
nobody."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction

from . import registry
from .models import Event, EventKind


def titles_of(obj: models.Model, field: str) -> dict[str, str]:
    """The field in every language it has, e.g. {"en": ..., "es": ...}."""
    titles = {}
    for code in settings.LANGUAGE_CODES:
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            titles[code] = str(value)
    if not titles:
        titles[settings.LANGUAGE_CODE] = str(obj)
    return titles


def ids_of(related) -> list[int]:
    """The primary keys of a related manager's objects."""
    return list(related.values_list("pk", flat=True))


def record_event(kind: str, obj: models.Model, *, actor=None, targets=None) -> Event:
    """Record that `kind` happened to `obj`; its followers hear of it after the commit.

    `targets` narrows who hears of it to the followers of those things only.
    """
    described = registry.describer_for(obj._meta.label_lower)(obj)
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
