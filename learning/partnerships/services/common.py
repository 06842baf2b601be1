"""The rules every partnership service shares: statuses, reporting periods, notices
to the parties, the record of a status change."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.recipients import readers_for
from audit.services import record
from learning.models import (
    Partnership,
    PartnershipParty,
    PartnershipStatus,
    PartnershipStatusChange,
)
from learning.models.needs import NeedStatus

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

    from accounts.models import User
    from accounts.recipients import Reader
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


# --- notifications ----------------------------------------------------------------------


def _recipients(
    partnership_id: int, *, organisation_ids: Iterable[int] | None = None, secretariat: bool = True
) -> tuple[Partnership, list[Reader]]:
    """Readers to tell: the parties' representatives (or some parties') and the secretariat."""
    partnership = Partnership.objects.get(pk=partnership_id)
    party_ids = organisation_ids
    if party_ids is None:
        party_ids = list(partnership.parties.values_list("organisation_id", flat=True))
    commission_id = partnership.facilitating_commission_id
    found = readers_for(
        organisations=party_ids,
        commissions=[commission_id] if secretariat and commission_id else [],
    )
    readers: dict[int | None, Reader] = {}
    for group in found.values():
        for reader in group:
            readers.setdefault(reader.user_id, reader)
    return partnership, list(readers.values())


def send_partnership_notice(
    partnership_id: int,
    event: str,
    *,
    organisation_ids: list[int] | None = None,
    secretariat: bool = True,
    party_id: int | None = None,
    exclude_user_id: int | None = None,
) -> int:
    """Tell the people concerned what happened to a partnership, each in their language."""
    partnership, readers = _recipients(
        partnership_id, organisation_ids=organisation_ids, secretariat=secretariat
    )
    party = PartnershipParty.objects.select_related("organisation").filter(pk=party_id).first()  # type: ignore[misc]  # pk=None finds no party, as meant
    url = settings.SITE_URL + partnership.get_absolute_url()
    messages = []
    for reader in readers:
        if reader.user_id == exclude_user_id:
            continue
        with translation.override(reader.language):
            context = {
                "partnership": partnership,
                "title": partnership.title,
                "status": partnership.get_status_display(),
                "organisation": party.organisation.name if party else "",
                "event": event,
                "url": url,
                "recipient": reader,
            }
            subject = render_to_string("learning/email/partnership_subject.txt", context)
            body = render_to_string("learning/email/partnership.txt", context)
        # On one line, its no-break spaces kept ("Partenariat : …" in French).
        subject = " ".join(line.strip() for line in subject.splitlines() if line.strip())
        messages.append(EmailMessage(subject, body, None, [reader.email]))
    if messages:
        mailers.default.send_messages(messages)
    return len(messages)


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
