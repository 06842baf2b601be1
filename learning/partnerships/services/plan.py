"""The plan of an agreed partnership: milestones and activities."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from audit.services import record, snapshot
from entrevilles.languages import CODES
from learning.models import (
    Activity,
    Milestone,
    Partnership,
)

from .common import PLANNABLE, _commission
from .proposals import _check_dates

if TYPE_CHECKING:
    from accounts.models import User


def _check_plannable(partnership: Partnership) -> None:
    if partnership.status not in PLANNABLE:
        raise ValidationError(
            _("Activities are planned once the partnership is agreed, until it ends.")
        )


@transaction.atomic
def add_milestone(
    partnership: Partnership, *, title: str, due_on: datetime.date, actor: User | None
) -> Milestone:
    _check_plannable(partnership)
    if not title.strip():
        raise ValidationError({"title": _("Give the milestone a title.")})
    milestone = Milestone(partnership=partnership, due_on=due_on)
    setattr(milestone, f"title_{partnership.original_language}", title.strip())
    milestone.save()
    record(
        "learning.milestone.created",
        milestone,
        actor=actor,
        after=snapshot(milestone),
        commission=_commission(partnership),
    )
    return milestone


@transaction.atomic
def plan_activity(
    partnership: Partnership,
    *,
    kind: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    place: str = "",
    participants: Iterable = (),
    milestone: Milestone | None = None,
    actor: User | None,
) -> Activity:
    """Add a study visit, webinar, mentoring session or workshop to the plan."""
    _check_plannable(partnership)
    ends_on = ends_on or starts_on
    _check_dates(starts_on, ends_on)
    if milestone is not None and milestone.partnership_id != partnership.pk:
        raise ValidationError({"milestone": _("This milestone belongs to another partnership.")})
    activity = Activity(
        partnership=partnership,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place.strip(),
        milestone=milestone,
    )
    setattr(activity, f"title_{partnership.original_language}", title.strip())
    activity.full_clean(exclude=[f"title_{c}" for c in CODES] + ["outcome", "participants"])
    activity.save()
    activity.participants.set(participants)
    record(
        "learning.activity.created",
        activity,
        actor=actor,
        after=snapshot(activity),
        commission=_commission(partnership),
    )
    return activity


@transaction.atomic
def record_activity_outcome(activity: Activity, *, outcome: str, actor: User | None) -> Activity:
    before = {"outcome": activity.outcome or ""}
    language = translation.get_language() or "en"
    language = language[:2] if language[:2] in CODES else "en"
    setattr(activity, f"outcome_{language}", outcome.strip())
    activity.save()
    record(
        "learning.activity.outcome",
        activity,
        actor=actor,
        before=before,
        after={"outcome": outcome.strip()},
        commission=_commission(activity.partnership),
    )
    return activity
