"""Proposing a partnership, the parties' answers, and its status moving on."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from audit.services import record, snapshot
from entrevilles.languages import CODES
from learning.models import (
    Partnership,
    PartnershipParty,
    PartnershipStatus,
    PartnershipStatusChange,
    PartyResponse,
    PartyRole,
)
from learning.models.needs import NeedStatus
from learning.needs.services import change_need_status
from learning.partnerships.notifying import follow_partnership
from notifications.events import record_event
from notifications.models import EventKind

from .common import (
    FINISHED,
    MOVES_TO_PARTNERSHIP,
    S,
    _commission,
    _notify_on_commit,
    _refresh_next_report_due,
    _status_change,
    allowed_transitions,
)

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.permissions import AnyUser
    from commissions.models import Commission


def _check_dates(
    starts_on: datetime.date | None, ends_on: datetime.date | None, field: str = "ends_on"
) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({field: _("The end date comes before the start date.")})


@transaction.atomic
def propose_partnership(
    *,
    title: str,
    learners: Iterable,
    mentors: Iterable,
    actor: User | None,
    objectives: str = "",
    original_language: str = "en",
    commission: Commission | None = None,
    needs: Iterable = (),
    experiences: Iterable = (),
    themes: Iterable = (),
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    reporting_every_months: int = 3,
) -> Partnership:
    """Propose a partnership between learner and mentor organisations; each party answers."""
    learners, mentors = list(learners), list(mentors)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the partnership a title.")]
    if not learners:
        errors["learners"] = [_("Choose at least one learner organisation.")]
    if not mentors:
        errors["mentors"] = [_("Choose at least one mentor organisation.")]
    ids = [org.pk for org in learners + mentors]
    if len(ids) != len(set(ids)):
        errors.setdefault("mentors", []).append(
            _("An organisation cannot be a party twice, nor both learner and mentor.")
        )
    elif learners and mentors and len(set(ids)) < 2:
        errors.setdefault("mentors", []).append(_("A partnership needs two or more organisations."))
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The end date comes before the start date.")]
    if not 1 <= (reporting_every_months or 0) <= 12:
        errors["reporting_every_months"] = [_("Reports are due every 1 to 12 months.")]
    if original_language not in CODES:
        errors["original_language"] = [_("Choose English, French or Spanish.")]
    if errors:
        raise ValidationError(errors)
    partnership = Partnership(
        original_language=original_language,
        facilitating_commission=commission,
        starts_on=starts_on,
        ends_on=ends_on,
        reporting_every_months=reporting_every_months,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    setattr(partnership, f"title_{original_language}", title.strip())
    setattr(partnership, f"objectives_{original_language}", objectives.strip())
    partnership.save()
    parties = [
        PartnershipParty(partnership=partnership, organisation=o, role=PartyRole.LEARNER)
        for o in learners
    ] + [
        PartnershipParty(partnership=partnership, organisation=o, role=PartyRole.MENTOR)
        for o in mentors
    ]
    # Proposing is the proposer's own organisation's answer: it need not accept again.
    represented = _represented_by(actor)
    now = timezone.now()
    for party in parties:
        party.copy_place()
        if party.organisation_id in represented:
            party.response = PartyResponse.ACCEPTED
            party.responded_at = now
            party.responded_by = actor
    PartnershipParty.objects.bulk_create(parties)
    partnership.needs.set(list(needs))
    partnership.experiences.set(experiences)
    partnership.themes.set(themes)
    PartnershipStatusChange.objects.create(
        partnership=partnership,
        to_status=S.PROPOSED,
        changed_by=partnership.created_by,
    )
    record(
        "learning.partnership.proposed",
        partnership,
        actor=actor,
        after=snapshot(partnership)
        | {
            "learners": ids[: len(learners)],
            "mentors": ids[len(learners) :],
            "accepted": sorted(
                p.organisation_id for p in parties if p.response == PartyResponse.ACCEPTED
            ),
        },
        commission=commission,
    )
    follow_partnership(partnership)
    record_event(EventKind.PARTNERSHIP_PROPOSED, partnership, actor=actor)
    if all(party.response == PartyResponse.ACCEPTED for party in parties):
        _agree(partnership, actor=actor)
    else:
        _notify_on_commit(partnership, "proposed", exclude_user_id=getattr(actor, "pk", None))
    return partnership


def _represented_by(actor: AnyUser) -> set[int]:
    """The organisations the actor answers for (as their representative)."""
    from accounts.permissions import is_authenticated, scopes

    return set(scopes(actor).representative) if is_authenticated(actor) else set()


def unreachable_party_ids(parties: Iterable[PartnershipParty]) -> set[int]:
    """The parties still to answer whom nobody can receive: no active representative with
    an e-mail address, so no notice reaches them and nobody may answer for them."""
    waiting = {p.pk: p.organisation_id for p in parties if p.response == PartyResponse.PENDING}
    if not waiting:
        return set()
    reachable = set(
        RoleAssignment.objects.filter(
            role=Role.REPRESENTATIVE,
            organisation_id__in=set(waiting.values()),
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("organisation_id", flat=True)
    )
    return {pk for pk, organisation_id in waiting.items() if organisation_id not in reachable}


def _agree(partnership: Partnership, *, actor: User | None) -> None:
    """Every party accepted: the partnership is agreed, and the needs behind it are now
    answered by it (their history says by what)."""
    _status_change(partnership, S.AGREED, actor=actor)
    partnership.save(update_fields=["status", "updated_at"])
    for need in partnership.needs.all():
        if need.status in MOVES_TO_PARTNERSHIP:
            change_need_status(
                need,
                status=NeedStatus.IN_PARTNERSHIP,
                actor=actor,
                note=_("Partnership agreed: %(title)s") % {"title": partnership.title[:400]},
            )
    _notify_on_commit(partnership, "agreed")


@transaction.atomic
def respond_to_partnership(
    party: PartnershipParty, *, accept: bool, actor: User | None
) -> PartnershipParty:
    """A party accepts or declines a proposal; when every party has accepted, it is agreed."""
    partnership = Partnership.objects.select_for_update().get(pk=party.partnership_id)
    if partnership.status != S.PROPOSED:
        raise ValidationError(_("This partnership is no longer awaiting answers."))
    party.refresh_from_db()
    before = {"response": party.response}
    party.response = PartyResponse.ACCEPTED if accept else PartyResponse.DECLINED
    party.responded_at = timezone.now()
    party.responded_by = actor if getattr(actor, "is_authenticated", False) else None
    party.save(update_fields=["response", "responded_at", "responded_by"])
    record(
        f"learning.partnership.party_{party.response}",
        partnership,
        actor=actor,
        before=before,
        after={"organisation": party.organisation_id, "response": party.response},
        commission=_commission(partnership),
    )
    if not partnership.parties.exclude(response=PartyResponse.ACCEPTED).exists():
        _agree(partnership, actor=actor)
    else:
        _notify_on_commit(
            partnership,
            party.response,
            party_id=party.pk,
            exclude_user_id=getattr(actor, "pk", None),
        )
    record_event(EventKind.PARTNERSHIP_ANSWERED, partnership, actor=actor)
    return party


@transaction.atomic
def change_partnership_status(
    partnership: Partnership, to_status: str, *, actor: User | None, note: str = ""
) -> Partnership:
    """The facilitating secretariat starts, completes or closes a partnership early."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if to_status not in allowed_transitions(partnership):
        raise ValidationError(
            _("A partnership cannot go from %(current)s to %(target)s.")
            % {
                "current": partnership.get_status_display(),
                "target": dict(PartnershipStatus.choices).get(to_status, to_status),
            }
        )
    today = timezone.localdate()
    if to_status == S.ACTIVE and partnership.starts_on is None:
        partnership.starts_on = today
    if to_status in FINISHED and (partnership.ends_on is None or partnership.ends_on > today):
        partnership.ends_on = max(today, partnership.starts_on or today)
    _status_change(partnership, to_status, actor=actor, note=note)
    partnership.save()
    _refresh_next_report_due(partnership)
    _notify_on_commit(partnership, "status", exclude_user_id=getattr(actor, "pk", None))
    record_event(EventKind.PARTNERSHIP_CHANGED, partnership, actor=actor)
    return partnership
