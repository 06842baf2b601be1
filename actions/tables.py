"""The rows of an action table, written in Python once per request.

Template filters and lookups on each of 25 rows (dates and numbers localised one by one,
the status label, the current date per row) cost more than the queries behind the page.
"""

from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from .models import OPEN_STATUSES, ActionStatus


def table_rows(actions, today=None) -> list[SimpleNamespace]:
    """What _action_table.html shows for each action (owners and workstream prefetched)."""
    today = today or timezone.localdate()
    labels = {value: str(label) for value, label in ActionStatus.choices}
    detail_prefix = reverse("actions:detail", args=[0])[:-2]
    dates: dict = {}
    rows = []
    for action in actions:
        due = action.due_date
        if due is not None and due not in dates:
            dates[due] = date_format(due, "DATE_FORMAT")
        rows.append(
            SimpleNamespace(
                pk=action.pk,
                url=f"{detail_prefix}{action.pk}/",
                title=action.title,
                workstream=action.workstream.title if action.workstream_id else "",
                owners=action.owner_names,
                people=action.owner_people_names,
                due=dates.get(due, ""),
                late=action.status in OPEN_STATUSES and due is not None and due < today,
                status=labels.get(action.status, action.status),
                progress=str(action.progress),
            )
        )
    return rows
