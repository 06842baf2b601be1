"""The rows of an action table, written in Python once per request.

Template filters and lookups on each of 25 rows (dates and numbers localised one by one,
the status label, the current date per row) cost more than the queries behind the page.
The rows are read as plain values (ActionQuerySet.for_rows), and the owners' names with
three queries on the owner tables: no model instances, no related managers.
"""

from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from entrevilles.dates import format_date
from entrevilles.languages import translated

from .models import OPEN_STATUSES, Action, ActionStatus


def _owner_names(action_ids: list[int]) -> tuple[dict, dict]:
    """Owner organisations and commissions, and owner people, of these actions, by id."""
    owners: dict[int, list[str]] = {}
    people: dict[int, list[str]] = {}
    if not action_ids:
        return owners, people
    organisations = (
        Action.owner_organisations.through.objects.filter(action_id__in=action_ids)
        .annotate(owner=translated("organisation__name"))
        .order_by("organisation__search_name", "organisation_id")
        .values_list("action_id", "owner")
    )
    commissions = (
        Action.owner_commissions.through.objects.filter(action_id__in=action_ids)
        .annotate(owner=translated("commission__name"))
        .order_by("commission__name", "commission_id")
        .values_list("action_id", "owner")
    )
    for rows in (organisations, commissions):
        for action_id, name in rows:
            owners.setdefault(action_id, []).append(name)
    for action_id, first, last in (
        Action.owner_people.through.objects.filter(action_id__in=action_ids)
        .order_by("person__last_name", "person__first_name", "person_id")
        .values_list("action_id", "person__first_name", "person__last_name")
    ):
        people.setdefault(action_id, []).append(f"{first} {last}".strip())
    return owners, people


def table_rows(actions, today=None) -> list[SimpleNamespace]:
    """What _action_table.html shows for each action (rows of ActionQuerySet.for_rows)."""
    today = today or timezone.localdate()
    actions = list(actions)
    labels = {value: str(label) for value, label in ActionStatus.choices}
    detail_prefix = reverse("actions:detail", args=[0])[:-2]
    owners, people = _owner_names([action["pk"] for action in actions])
    dates: dict = {}
    rows = []
    for action in actions:
        pk, due, status = action["pk"], action["due_date"], action["status"]
        if due is not None and due not in dates:
            dates[due] = format_date(due, "DATE_FORMAT")
        rows.append(
            SimpleNamespace(
                pk=pk,
                url=f"{detail_prefix}{pk}/",
                title=action["row_title"],
                workstream=action["row_workstream"] if action["workstream_id"] else "",
                owners=", ".join(owners.get(pk, ())),
                people=", ".join(people.get(pk, ())),
                due=dates.get(due, ""),
                late=status in OPEN_STATUSES and due is not None and due < today,
                status=labels.get(status, status),
                progress=str(action["progress"]),
            )
        )
    return rows
