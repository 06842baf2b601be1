"""New suggestions for a need: when an experience is published, the needs it answers best
(the matchmaking's own ranking) tell their followers, the city's officers. Registered with
the notifications engine to run once the experience's event is fanned out."""

from __future__ import annotations

import contextlib

from django.db import transaction

from learning.models import LearningNeed
from library.models import Experience
from notifications import registry
from notifications.events import record_event
from notifications.models import Event, EventKind, TargetType
from search import embedded, embedding

from . import engine

# As many needs as the experience's page lists.
TOP = 10


def record_for(event: Event) -> int:
    """After the fan-out of a published experience: one event per need it answers."""
    if event.kind != EventKind.EXPERIENCE_PUBLISHED:
        return 0
    experience = Experience.objects.filter(pk=event.subject_id).first()
    if experience is None:
        return 0
    # The worker embeds the experience after its publication, maybe not yet: done here
    # (once; the embedding task then finds it done), so that the needs told are those it
    # answers in meaning, not every need sharing a word with it.
    with contextlib.suppress(embedding.ModelUnavailable):  # the concepts rank alone
        embedded.embed_objects("experience", [experience.pk])
    found = engine.needs_answered_by(experience, LearningNeed.objects.all(), top=TOP)
    with transaction.atomic():
        for suggestion in found:
            record_event(
                EventKind.NEED_SUGGESTIONS,
                suggestion.need,
                targets=[(TargetType.NEED, suggestion.need.pk)],
            )
    return len(found)


def register() -> None:
    registry.when_fanned_out(record_for)
