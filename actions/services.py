"""Every write to the action plan: workstreams, actions, updates, bulk changes, imports."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import changed, record, snapshot
from entrevilles.csv_export import csv_writer, restore
from entrevilles.importing import CsvRecords, CsvTable, FileRefused, run_import
from entrevilles.integers import parse_id, parse_int
from entrevilles.languages import CODES
from notifications.events import record_event
from notifications.models import EventKind
from search.services import schedule_reindex
from uploads.formats import ACTION_UPDATE_ATTACHMENT, check_upload

from .models import Action, ActionStatus, ActionUpdate, Priority, Workstream
from .notifying import follow_action

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User
    from commissions.models import Commission
    from meetings.models import Decision, Meeting
    from network.models import Organisation, Person


def _check_progress(progress: int | None) -> None:
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage, from 0 to 100.")})


OWNER_FIELDS = ["owner_organisations", "owner_commissions", "owner_people"]


def check_action(action: Action) -> None:
    """The rules every action meets, however it is written (pages, API, CSV imports, a
    partnership's roadmap): a title in at least one language, a progress from 0 to 100, and
    the model's own rules (lengths of the titles, status and priority among the choices).

    Raises one ValidationError naming every field at fault.
    """
    errors: dict[str, list[str]] = {}
    if not any((getattr(action, f"title_{code}", "") or "").strip() for code in CODES):
        errors["title"] = [_("Give the action a title.")]
    if action.progress is not None and not 0 <= action.progress <= 100:
        errors["progress"] = [_("Progress is a percentage, from 0 to 100.")]
    exclude = [*OWNER_FIELDS, *errors]
    if "title" in errors:
        exclude += [f"title_{code}" for code in CODES]
    try:
        action.full_clean(exclude=exclude)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _first_commission(action: Action) -> Commission | None:
    if action.workstream_id is None:
        return None
    return action.workstream.commissions.order_by("pk").first()  # type: ignore[union-attr]  # workstream_id is set: checked above


@transaction.atomic
def create_workstream(
    *,
    titles: dict[str, str],
    commissions: Iterable,
    descriptions: dict[str, str] | None = None,
    opened_by: Meeting | None = None,
    position: int = 0,
    actor: User | None,
) -> Workstream:
    """Open a workstream owned by one or several commissions."""
    commissions = list(commissions)
    if not commissions:
        raise ValidationError({"commissions": _("Choose at least one commission.")})
    if not any(titles.values()):
        raise ValidationError({"title": _("Give the workstream a title.")})
    workstream = Workstream(opened_by=opened_by, position=position)
    for code, value in titles.items():
        setattr(workstream, f"title_{code}", value)
    for code, value in (descriptions or {}).items():
        setattr(workstream, f"description_{code}", value)
    workstream.save()
    workstream.commissions.set(commissions)
    record(
        "actions.workstream.created",
        workstream,
        actor=actor,
        after=snapshot(workstream),
        commission=commissions[0],
    )
    return workstream


def _set_owners(
    action: Action,
    organisations: Iterable[Organisation] | None,
    commissions: Iterable[Commission] | None,
    people: Iterable[Person] | None,
) -> None:
    if organisations is not None:
        action.owner_organisations.set(organisations)
    if commissions is not None:
        action.owner_commissions.set(commissions)
    if people is not None:
        action.owner_people.set(people)


def _owner_snapshot(action: Action) -> dict:
    return {
        "owner_organisations": sorted(o.pk for o in action.owner_organisations.all()),
        "owner_commissions": sorted(c.pk for c in action.owner_commissions.all()),
        "owner_people": sorted(p.pk for p in action.owner_people.all()),
    }


@transaction.atomic
def create_action(
    *,
    titles: dict[str, str],
    workstream: Workstream | None = None,
    decision: Decision | None = None,
    descriptions: dict[str, str] | None = None,
    owner_organisations: Iterable[Organisation] = (),
    owner_commissions: Iterable[Commission] = (),
    owner_people: Iterable[Person] = (),
    due_date: date | None = None,
    status: str = ActionStatus.PLANNED,
    progress: int = 0,
    priority: int = Priority.NORMAL,
    actor: User | None,
) -> Action:
    """Create an action, directly or from a meeting's decision."""
    action = Action(
        workstream=workstream,
        decision=decision,
        due_date=due_date,
        status=status,
        progress=progress,
        priority=priority,
    )
    for code, value in titles.items():
        setattr(action, f"title_{code}", value)
    for code, value in (descriptions or {}).items():
        setattr(action, f"description_{code}", value)
    check_action(action)
    action.save()
    _set_owners(action, owner_organisations, owner_commissions, owner_people)
    schedule_reindex("action", action.pk)
    record(
        "actions.action.created",
        action,
        actor=actor,
        after=snapshot(action) | _owner_snapshot(action),
        commission=_first_commission(action),
    )
    follow_action(action)
    record_event(EventKind.ACTION_ASSIGNED, action, actor=actor)
    return action


@transaction.atomic
def update_action(
    action: Action,
    *,
    changes: dict,
    owner_organisations: Iterable[Organisation] | None = None,
    owner_commissions: Iterable[Commission] | None = None,
    owner_people: Iterable[Person] | None = None,
    actor: User | None,
) -> Action:
    """Edit an action's fields (`title_fr`, `due_date`, `priority`...) and owners."""
    before = snapshot(action) | _owner_snapshot(action)
    for name, value in changes.items():
        setattr(action, name, value)
    check_action(action)
    action.save()
    _set_owners(action, owner_organisations, owner_commissions, owner_people)
    schedule_reindex("action", action.pk)
    old, new = changed(before, snapshot(action) | _owner_snapshot(action))
    record(
        "actions.action.updated",
        action,
        actor=actor,
        before=old,
        after=new,
        commission=_first_commission(action),
    )
    if new:
        assigned = any(key.startswith("owner_") for key in new)
        if assigned:
            follow_action(action)
        kind = EventKind.ACTION_ASSIGNED if assigned else EventKind.ACTION_UPDATED
        record_event(kind, action, actor=actor)
    return action


@transaction.atomic
def post_update(
    action: Action,
    *,
    text: str,
    progress: int | None = None,
    status: str | None = None,
    attachment: UploadedFile | None = None,
    actor: User | None,
) -> ActionUpdate:
    """Log an update on an action; its progress and status change with it."""
    if not text.strip():
        raise ValidationError({"text": _("Say what happened.")})
    _check_progress(progress)
    if status is not None and status not in ActionStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    action = Action.objects.select_for_update().get(pk=action.pk)
    update = ActionUpdate(
        action=action,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        text=text,
        progress=progress,
    )
    before = {"status": action.status, "progress": action.progress}
    if status and status != action.status:
        update.status_before, update.status_after = action.status, status
        action.status = status
    if progress is not None:
        action.progress = progress
    if action.status == ActionStatus.DONE:
        action.progress = 100
    if attachment:
        check_upload(attachment, ACTION_UPDATE_ATTACHMENT)
        update.attachment = attachment
    update.save()
    action.save(update_fields=["status", "progress", "updated_at"])
    schedule_reindex("action", action.pk)
    record(
        "actions.action.update_posted",
        action,
        actor=actor,
        before=before,
        after={"status": action.status, "progress": action.progress, "update": update.pk},
        commission=_first_commission(action),
    )
    record_event(EventKind.ACTION_UPDATED, action, actor=actor)
    return update


@transaction.atomic
def bulk_update(actions: Iterable[Action], *, changes: dict, actor: User | None) -> int:
    """Set the same status, priority or due date on several actions at once."""
    allowed = {"status", "priority", "due_date"}
    if not changes or set(changes) - allowed:
        raise ValidationError(_("Choose what to change: status, priority or due date."))
    count = 0
    for action in actions:
        update_action(action, changes=dict(changes), actor=actor)
        count += 1
    return count


# --- CSV -------------------------------------------------------------------------------

CSV_COLUMNS = [
    "id",
    "workstream",
    "title_en",
    "title_fr",
    "title_es",
    "owner_organisations",
    "owner_commissions",
    "due_date",
    "status",
    "progress",
    "priority",
]


def export_csv(actions: Iterable[Action]) -> str:
    """Actions as CSV; owners by organisation reference and commission slug, `;`-separated."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(CSV_COLUMNS)
    for action in actions:
        writer.writerow(
            [
                action.pk,
                action.workstream_id or "",
                action.title_en or "",
                action.title_fr or "",
                action.title_es or "",
                ";".join(o.external_ref or str(o.pk) for o in action.owner_organisations.all()),
                ";".join(c.slug for c in action.owner_commissions.all()),
                action.due_date.isoformat() if action.due_date else "",
                action.status,
                action.progress,
                action.priority,
            ]
        )
    return out.getvalue()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _parse_row(
    row: dict[str, str], *, workstreams: dict[int, Workstream], allowed_ids: set[int]
) -> tuple[dict, list[str]]:
    from commissions.models import Commission
    from network.models import Organisation

    errors: list[str] = []
    values: dict = {}

    def err(message: str, **params: object) -> None:
        errors.append(message % params)

    if (row.get("id") or "").strip():
        try:
            values["id"] = int(row["id"])
        except ValueError:
            err(_("%(value)s is not an action number."), value=row["id"])
        else:
            if values["id"] not in allowed_ids:
                err(_("action %(value)s is unknown or not yours to edit."), value=row["id"])
    ws = (row.get("workstream") or "").strip()
    if ws:
        if parse_id(ws) not in workstreams:
            err(_("workstream %(value)s is unknown or not yours."), value=ws)
        else:
            values["workstream"] = workstreams[parse_id(ws)]  # type: ignore[index]  # not None: found in workstreams just above
    elif "id" not in values:
        err(_("a new action needs a workstream."))
    titles = {code: (row.get(f"title_{code}") or "").strip() for code in ("en", "fr", "es")}
    if not any(titles.values()) and "id" not in values:
        err(_("a new action needs a title."))
    values["titles"] = titles
    due = (row.get("due_date") or "").strip()
    if due:
        try:
            values["due_date"] = date.fromisoformat(due)
        except ValueError:
            err(_("the due date %(value)s is not in the YYYY-MM-DD format."), value=due)
    # Only the formats are read here; what a value may be is check_action's to say.
    values["status"] = (row.get("status") or "").strip() or ActionStatus.PLANNED
    progress = (row.get("progress") or "").strip() or "0"
    if parse_int(progress, minimum=0, maximum=100) is None:
        err(_("progress %(value)s is not a number from 0 to 100."), value=progress[:50])
    else:
        values["progress"] = int(progress)
    priority = (row.get("priority") or "").strip() or str(Priority.NORMAL)
    if parse_int(priority) is None:
        err(_("unknown priority %(value)s."), value=priority[:50])
    else:
        values["priority"] = int(priority)
    refs = [r.strip() for r in (row.get("owner_organisations") or "").split(";") if r.strip()]
    orgs = {o.external_ref: o for o in Organisation.objects.filter(external_ref__in=refs)}
    for ref in refs:
        if ref not in orgs:
            err(_("unknown owner organisation %(value)s."), value=ref)
    values["owner_organisations"] = list(orgs.values())
    slugs = [s.strip() for s in (row.get("owner_commissions") or "").split(";") if s.strip()]
    commissions = {c.slug: c for c in Commission.objects.filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in commissions:
            err(_("unknown owner commission %(value)s."), value=slug)
    values["owner_commissions"] = list(commissions.values())
    return values, errors


def _row_rule_errors(values: dict) -> list[str]:
    """The action a row would give, checked by the same rules as every other write."""
    if "id" in values:
        action = Action.objects.get(pk=values["id"])
        for code, title in values["titles"].items():
            if title:
                setattr(action, f"title_{code}", title)
    else:
        action = Action()
        for code, title in values["titles"].items():
            setattr(action, f"title_{code}", title)
    for name in ("workstream", "due_date", "status", "progress", "priority"):
        if name in values:
            setattr(action, name, values[name])
    try:
        check_action(action)
    except ValidationError as error:
        return [
            message
            if name in ("title", NON_FIELD_ERRORS)
            else f"{Action._meta.get_field(name).verbose_name}: {message}"  # type: ignore[union-attr]  # a field of the row, never a reverse relation
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


ACTION_TABLE = CsvTable(CSV_COLUMNS, required=frozenset({"title_en", "due_date", "status"}))


def import_csv(text: str, *, workstreams: Iterable[Workstream], actor: User | None) -> ImportResult:
    """Create or update actions from CSV; any error and nothing at all is saved.

    `workstreams` are those the actor may manage: rows may only touch their actions. Each
    row is written through `create_action` or `update_action`, with their audit entries.
    """
    result = ImportResult()
    managed = {w.pk: w for w in workstreams}
    allowed_ids = set(
        Action.objects.filter(workstream__in=list(managed)).values_list("pk", flat=True)
    )
    try:
        records = CsvRecords(text, ACTION_TABLE)
    except FileRefused as refused:
        result.errors.append(refused.error.message)
        return result

    def check(line: int, row: dict[str, str]) -> tuple[dict | None, list[str]]:
        # A cell the export kept from being read as a formula is read back as it was.
        row = {column: restore(cell) for column, cell in row.items()}
        values, errors = _parse_row(row, workstreams=managed, allowed_ids=allowed_ids)
        return values, errors or _row_rule_errors(values)

    def write(rows: list[dict]) -> None:
        for values in rows:
            titles = values.pop("titles")
            orgs = values.pop("owner_organisations")
            commissions = values.pop("owner_commissions")
            if "id" in values:
                action = Action.objects.get(pk=values.pop("id"))
                changes = {f"title_{c}": t for c, t in titles.items() if t} | values
                update_action(
                    action,
                    changes=changes,
                    owner_organisations=orgs or None,
                    owner_commissions=commissions or None,
                    actor=actor,
                )
                result.updated += 1
            else:
                create_action(
                    titles=titles,
                    owner_organisations=orgs,
                    owner_commissions=commissions,
                    actor=actor,
                    **values,
                )
                result.created += 1

    result.errors = [str(error) for error in run_import(records, check, write)]
    return result


def today() -> date:
    return timezone.localdate()
