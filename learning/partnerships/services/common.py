"""The rules every partnership service shares: statuses, reporting periods, the notice
to the parties sent after commit, the record of a status change."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from audit.services import record
from learning.models import (
    Partnership,
    PartnershipStatus,
    PartnershipStatusChange,
)
from learning.models.needs import NeedStatus

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from accounts.models import User
    from commissions.models import Commission

S = PartnershipStatus

# Moves the facilitating secretariat makes; "agreed" is reached only by every party accepting.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.PROPOSED: (S.CLOSED_EARLY,),
    S.AGREED: (S.ACTIVE, S.CLOSED_EARLY),
    S.ACTIVE: (S.COMPLETED, S.CLOSED_EARLY),
    S.COMPLETED: (),
    S.CLOSED_EARLY: (),
}
FINISHED = (S.COMPLETED, S.CLOSED_EARLY)
PLANNABLE = (S.AGREED, S.ACTIVE)
# A report is late this long after the end of its period.
REPORT_GRACE_DAYS = 30


# Needs that an agreed partnership moves to "in partnership" (not those met or withdrawn).
MOVES_TO_PARTNERSHIP = (NeedStatus.OPEN, NeedStatus.MATCHED)


def allowed_transitions(partnership: Partnership) -> tuple[str, ...]:
    return TRANSITIONS.get(partnership.status, ())


def _commission(partnership: Partnership) -> Commission | None:
    return partnership.facilitating_commission


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    # The 31st of a short month falls back to its last day.
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def reporting_periods(
    partnership: Partnership, until: datetime.date
) -> Iterator[tuple[datetime.date, datetime.date]]:
    """The reporting periods (start, end) of an active partnership that have begun by `until`."""
    if partnership.starts_on is None:
        return
    months = partnership.reporting_every_months or 3
    start = partnership.starts_on
    index = 0
    while start <= until and index < 240:
        end = _add_months(partnership.starts_on, months * (index + 1)) - datetime.timedelta(days=1)
        if partnership.ends_on is not None and end > partnership.ends_on:
            end = max(partnership.ends_on, start)
        yield start, end
        if partnership.ends_on is not None and end >= partnership.ends_on:
            return
        index += 1
        start = end + datetime.timedelta(days=1)


def open_periods(
    partnership: Partnership, today: datetime.date | None = None
) -> list[tuple[datetime.date, datetime.date]]:
    """Periods begun and not reported yet: those a party may report on now."""
    today = today or timezone.localdate()
    reported = set(partnership.reports.values_list("period_start", flat=True))
    return [p for p in reporting_periods(partnership, today) if p[0] not in reported]


def _refresh_next_report_due(partnership: Partnership) -> None:
    """Keep `next_report_due_on`: the end of the first period not reported yet."""
    due = None
    if partnership.status == S.ACTIVE and partnership.starts_on is not None:
        reported = set(partnership.reports.values_list("period_start", flat=True))
        horizon = (partnership.ends_on or timezone.localdate()) + datetime.timedelta(days=3660)
        for start, end in reporting_periods(partnership, horizon):
            if start not in reported:
                due = end
                break
    if due != partnership.next_report_due_on:
        partnership.next_report_due_on = due
        partnership.save(update_fields=["next_report_due_on", "updated_at"])


def late_since(today: datetime.date | None = None) -> datetime.date:
    """A report whose period ended before this day is late."""
    return (today or timezone.localdate()) - datetime.timedelta(days=REPORT_GRACE_DAYS)


def _notify_on_commit(partnership: Partnership, event: str, **kwargs: Any) -> None:
    # The background worker sends the notice: a slow or unreachable mail relay never holds
    # up the page, nor undoes the answer or the status change.
    from learning.tasks import send_partnership_notice as notice_task

    transaction.on_commit(lambda: notice_task.enqueue(partnership.pk, event, **kwargs), robust=True)


def _status_change(
    partnership: Partnership, to_status: str, *, actor: User | None, note: str = ""
) -> None:
    from_status = partnership.status
    partnership.status = to_status
    PartnershipStatusChange.objects.create(
        partnership=partnership,
        from_status=from_status,
        to_status=to_status,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )
    record(
        f"learning.partnership.{to_status}",
        partnership,
        actor=actor,
        before={"status": from_status},
        after={"status": to_status},
        commission=_commission(partnership),
    )
