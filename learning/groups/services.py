"""Every write to learning groups: the group, its members, sessions and conclusions, and
turning a conclusion into an action of the action plan."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from actions import services as action_services
from audit.services import changed, record, snapshot
from learning.models import (
    GroupConclusion,
    GroupMembership,
    GroupSession,
    GroupVisibility,
    LearningGroup,
)
from notifications.events import record_event
from notifications.models import EventKind

if TYPE_CHECKING:
    from django.db.models import Model

    from accounts.models import User
    from actions.models import Action, Workstream
    from commissions.models import Commission
    from meetings.models import Meeting
    from network.models import Organisation

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _set_translations(obj: Model, field: str, values: dict[str, str] | None) -> None:
    for code, value in (values or {}).items():
        if code in LANGUAGE_CODES:
            setattr(obj, f"{field}_{code}", (value or "").strip())


def _has_text(values: dict[str, str] | None) -> bool:
    return any((value or "").strip() for value in (values or {}).values())


@transaction.atomic
def create_group(
    *,
    slug: str,
    names: dict[str, str],
    facilitating_commission: Commission,
    purposes: dict[str, str] | None = None,
    themes: Iterable = (),
    visibility: str = GroupVisibility.PUBLIC,
    started_on: date | None = None,
    actor: User | None,
) -> LearningGroup:
    """Open a learning group facilitated by one commission."""
    if not _has_text(names):
        raise ValidationError({"name": _("Give the group a name.")})
    if LearningGroup.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Another group already has this short name.")})
    group = LearningGroup(
        slug=slug,
        facilitating_commission=facilitating_commission,
        visibility=visibility,
        started_on=started_on,
    )
    _set_translations(group, "name", names)
    _set_translations(group, "purpose", purposes)
    group.full_clean(exclude=["themes", "organisations"])
    group.save()
    group.themes.set(themes)
    record(
        "learning.group.created",
        group,
        actor=actor,
        after=snapshot(group),
        commission=facilitating_commission,
    )
    return group


@transaction.atomic
def update_group(
    group: LearningGroup,
    *,
    names: dict[str, str],
    facilitating_commission: Commission,
    purposes: dict[str, str] | None = None,
    themes: Iterable = (),
    visibility: str = GroupVisibility.PUBLIC,
    started_on: date | None = None,
    actor: User | None,
) -> LearningGroup:
    """Change a group's names, purpose, themes, facilitator or visibility."""
    if not _has_text(names):
        raise ValidationError({"name": _("Give the group a name.")})
    before = snapshot(group)
    group.facilitating_commission = facilitating_commission
    group.visibility = visibility
    group.started_on = started_on
    _set_translations(group, "name", names)
    _set_translations(group, "purpose", purposes)
    group.full_clean(exclude=["themes", "organisations"])
    group.save()
    group.themes.set(themes)
    old, new = changed(before, snapshot(group))
    record(
        "learning.group.updated",
        group,
        actor=actor,
        before=old,
        after=new,
        commission=facilitating_commission,
    )
    return group


@transaction.atomic
def add_member(
    group: LearningGroup,
    organisation: Organisation,
    *,
    joined_on: date | None = None,
    actor: User | None,
) -> GroupMembership:
    """An organisation joins the group (or joins again after leaving)."""
    joined_on = joined_on or timezone.localdate()
    membership = (
        GroupMembership.objects.select_for_update()
        .filter(group=group, organisation=organisation)
        .first()
    )
    if membership is not None and membership.left_on is None:
        raise ValidationError(
            {
                "organisation": _("%(organisation)s is already a member.")
                % {"organisation": organisation}
            }
        )
    before = snapshot(membership) if membership else None
    if membership is None:
        membership = GroupMembership(group=group, organisation=organisation)
    membership.joined_on = joined_on
    membership.left_on = None
    membership.save()
    record(
        "learning.group.member_added",
        membership,
        actor=actor,
        before=before,
        after=snapshot(membership),
        commission=group.facilitating_commission,
    )
    return membership


@transaction.atomic
def member_leaves(
    membership: GroupMembership, *, left_on: date | None = None, actor: User | None
) -> GroupMembership:
    """An organisation leaves the group; its past membership stays on record."""
    left_on = left_on or timezone.localdate()
    if membership.left_on is not None:
        raise ValidationError({"left_on": _("This organisation has already left the group.")})
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("A member cannot leave before joining.")})
    before = snapshot(membership)
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    record(
        "learning.group.member_left",
        membership,
        actor=actor,
        before=before,
        after=snapshot(membership),
        commission=membership.group.facilitating_commission,
    )
    return membership


@transaction.atomic
def add_session(
    group: LearningGroup,
    *,
    held_on: date,
    place: str = "",
    summaries: dict[str, str] | None = None,
    meeting: Meeting | None = None,
    actor: User | None,
) -> GroupSession:
    """Record a session of the group, on its own or during a network meeting."""
    if held_on is None:
        raise ValidationError({"held_on": _("Give the date of the session.")})
    session = GroupSession(
        group=group, held_on=held_on, place=(place or "").strip(), meeting=meeting
    )
    _set_translations(session, "summary", summaries)
    session.full_clean()
    session.save()
    record(
        "learning.group.session_added",
        session,
        actor=actor,
        after=snapshot(session),
        commission=group.facilitating_commission,
    )
    record_event(EventKind.GROUP_SESSION, group, actor=actor)
    return session


@transaction.atomic
def update_session(
    session: GroupSession,
    *,
    held_on: date,
    place: str = "",
    summaries: dict[str, str] | None = None,
    meeting: Meeting | None = None,
    actor: User | None,
) -> GroupSession:
    """Correct a recorded session: its date, place, meeting or summary."""
    if held_on is None:
        raise ValidationError({"held_on": _("Give the date of the session.")})
    session = GroupSession.objects.select_for_update().get(pk=session.pk)
    before = snapshot(session)
    session.held_on = held_on
    session.place = (place or "").strip()
    session.meeting = meeting
    _set_translations(session, "summary", summaries)
    session.full_clean()
    session.save()
    old, new = changed(before, snapshot(session))
    record(
        "learning.group.session_updated",
        session,
        actor=actor,
        before=old,
        after=new,
        commission=session.group.facilitating_commission,
    )
    return session


@transaction.atomic
def update_conclusion(
    conclusion: GroupConclusion,
    *,
    texts: dict[str, str],
    concluded_on: date | None = None,
    session: GroupSession | None = None,
    actor: User | None,
) -> GroupConclusion:
    """Correct a recorded conclusion: its text, date or session (its number stays)."""
    if not _has_text(texts):
        raise ValidationError({"text": _("Write the conclusion.")})
    if session is not None and session.group_id != conclusion.group_id:
        raise ValidationError({"session": _("This session belongs to another group.")})
    conclusion = GroupConclusion.objects.select_for_update().get(pk=conclusion.pk)
    before = snapshot(conclusion)
    conclusion.session = session
    if concluded_on is not None:
        conclusion.concluded_on = concluded_on
    _set_translations(conclusion, "text", texts)
    conclusion.full_clean(exclude=["action"])
    conclusion.save()
    old, new = changed(before, snapshot(conclusion))
    record(
        "learning.group.conclusion_updated",
        conclusion,
        actor=actor,
        before=old,
        after=new,
        commission=conclusion.group.facilitating_commission,
    )
    return conclusion


@transaction.atomic
def add_conclusion(
    group: LearningGroup,
    *,
    texts: dict[str, str],
    concluded_on: date | None = None,
    session: GroupSession | None = None,
    actor: User | None,
) -> GroupConclusion:
    """Add the group's next numbered conclusion."""
    if not _has_text(texts):
        raise ValidationError({"text": _("Write the conclusion.")})
    if session is not None and session.group_id != group.pk:
        raise ValidationError({"session": _("This session belongs to another group.")})
    # Lock the group so that two secretariats adding a conclusion at once get 1 and 2.
    LearningGroup.objects.select_for_update().filter(pk=group.pk).first()
    last = group.conclusions.aggregate(last=Max("number"))["last"] or 0
    conclusion = GroupConclusion(
        group=group,
        number=last + 1,
        concluded_on=concluded_on or (session.held_on if session else timezone.localdate()),
        session=session,
    )
    _set_translations(conclusion, "text", texts)
    conclusion.full_clean(exclude=["action"])
    conclusion.save()
    record(
        "learning.group.conclusion_added",
        conclusion,
        actor=actor,
        after=snapshot(conclusion),
        commission=group.facilitating_commission,
    )
    record_event(EventKind.GROUP_CONCLUSION, group, actor=actor)
    return conclusion


@transaction.atomic
def conclusion_to_action(
    conclusion: GroupConclusion,
    *,
    workstream: Workstream,
    due_date: date | None = None,
    owner_organisations: Iterable = (),
    actor: User | None,
) -> Action:
    """Make the conclusion an action of the action plan in `workstream`, owned by the
    group's facilitating commission, and link the two."""
    conclusion = (
        GroupConclusion.objects.select_for_update().select_related("group").get(pk=conclusion.pk)
    )
    if conclusion.action_id is not None:
        raise ValidationError(_("This conclusion is already an action of the action plan."))
    group = conclusion.group
    titles, descriptions = {}, {}
    for code in LANGUAGE_CODES:
        text = getattr(conclusion, f"text_{code}", "") or ""
        if text:
            titles[code] = Truncator(" ".join(text.split())).chars(280)
            descriptions[code] = text
    action = action_services.create_action(
        titles=titles,
        descriptions=descriptions,
        workstream=workstream,
        owner_organisations=list(owner_organisations),
        owner_commissions=[group.facilitating_commission],
        due_date=due_date,
        actor=actor,
    )
    conclusion.action = action
    conclusion.save(update_fields=["action"])
    record(
        "learning.group.conclusion_to_action",
        conclusion,
        actor=actor,
        before={"action_id": None},
        after={"action_id": action.pk},
        commission=group.facilitating_commission,
    )
    return action
