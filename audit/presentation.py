"""The audit log as people read it: who did what, when, with field labels and values in
the reader's language instead of the codes the services record.

Entries store action codes ("circulars.circular.created") and raw values keyed by field
attribute names ("subject_en", "created_by_id"); this module turns them into words at
reading time, so that the same entry reads in English, French or Spanish.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entrevilles.languages import language_name

from .models import AuditEntry

# The last part of an action code, as a noun (a noun reads the same whatever the gender
# of the object it applies to in French or Spanish).
VERBS = {
    "created": gettext_lazy("Creation"),
    "updated": gettext_lazy("Change"),
    "changed": gettext_lazy("Change"),
    "saved": gettext_lazy("Change"),
    "deleted": gettext_lazy("Deletion"),
    "removed": gettext_lazy("Removal"),
    "added": gettext_lazy("Addition"),
    "imported": gettext_lazy("Import"),
    "granted": gettext_lazy("Role granted"),
    "withdrawn": gettext_lazy("Role withdrawn"),
    "sent": gettext_lazy("Sending"),
    "resent": gettext_lazy("Sent again"),
    "revoked": gettext_lazy("Revocation"),
    "accepted": gettext_lazy("Acceptance"),
    "published": gettext_lazy("Publication"),
    "unpublished": gettext_lazy("Withdrawal from publication"),
    "approved": gettext_lazy("Approval"),
    "scheduled": gettext_lazy("Scheduling"),
    "sending": gettext_lazy("Sending"),
    "test_sent": gettext_lazy("Test sending"),
    "stopped": gettext_lazy("Stop"),
    "resumed": gettext_lazy("Resumption"),
    "audience": gettext_lazy("Audience change"),
    "recorded": gettext_lazy("Record"),
    "registered": gettext_lazy("Registration"),
    "promoted": gettext_lazy("Promotion from the waiting list"),
    "cancelled": gettext_lazy("Cancellation"),
    "invited": gettext_lazy("Invitations"),
    "reported": gettext_lazy("Report back"),
    "moved": gettext_lazy("Move"),
    "dismissed": gettext_lazy("Dismissal"),
    "restored": gettext_lazy("Restoration"),
    "proposed": gettext_lazy("Proposal"),
    "filed": gettext_lazy("Filing"),
    "revised": gettext_lazy("Revision"),
    "commented": gettext_lazy("Comment"),
    "ended": gettext_lazy("End"),
    "adopted": gettext_lazy("Adoption"),
    "bounced": gettext_lazy("Bounce"),
    "status_changed": gettext_lazy("Change of status"),
    "contact_added": gettext_lazy("Contact added"),
    "contact_removed": gettext_lazy("Contact removed"),
    "contact_updated": gettext_lazy("Contact details changed"),
    "visibility_changed": gettext_lazy("Change of visibility"),
    "language_changed": gettext_lazy("Change of language"),
    "login_linked": gettext_lazy("Login linked"),
    "queued": gettext_lazy("Queued"),
    "links_changed": gettext_lazy("Links changed"),
    "actions_changed": gettext_lazy("Actions changed"),
    "documents_changed": gettext_lazy("Documents changed"),
    "file_added": gettext_lazy("File added"),
    "attachment_added": gettext_lazy("Attachment added"),
    "returned": gettext_lazy("Returned to the author"),
    "attendance_recorded": gettext_lazy("Attendance recorded"),
    "update_posted": gettext_lazy("Progress update"),
    "unconfirmed_resent": gettext_lazy("Unconfirmed deliveries sent again"),
    "unconfirmed_confirmed": gettext_lazy("Unconfirmed deliveries confirmed"),
    "member_added": gettext_lazy("Member added"),
    "member_left": gettext_lazy("Member left"),
    "session_added": gettext_lazy("Session added"),
    "session_updated": gettext_lazy("Session changed"),
    "conclusion_added": gettext_lazy("Conclusion added"),
    "conclusion_updated": gettext_lazy("Conclusion changed"),
    "conclusion_to_action": gettext_lazy("Conclusion turned into an action"),
    "action_created": gettext_lazy("Action created"),
    "outcome": gettext_lazy("Outcome"),
    "outcomes": gettext_lazy("Outcomes"),
}

# Keys some services record that are not fields of the object.
KEYS = {
    "count": gettext_lazy("number"),
    "emails": gettext_lazy("e-mail addresses"),
    "recipients": gettext_lazy("recipients"),
    "reason": gettext_lazy("reason"),
    "segments": gettext_lazy("audience"),
    "documents": gettext_lazy("documents"),
    "actions": gettext_lazy("actions"),
    "people": gettext_lazy("people"),
    "organisations": gettext_lazy("organisations"),
    "organisation": gettext_lazy("organisation"),
    "person": gettext_lazy("person"),
    "user": gettext_lazy("user"),
    "role": gettext_lazy("role"),
    "created": gettext_lazy("created"),
    "updated": gettext_lazy("updated"),
    "updated_ids": gettext_lazy("updated"),
    "cities_created": gettext_lazy("cities created"),
    "detail": gettext_lazy("detail"),
    "update": gettext_lazy("update"),
    "outcomes": gettext_lazy("outcomes"),
    "outcome": gettext_lazy("outcome"),
    "note": gettext_lazy("note"),
    "file": gettext_lazy("file"),
    "document": gettext_lazy("document"),
    "action": gettext_lazy("action"),
    "text": gettext_lazy("text"),
    "version": gettext_lazy("version"),
    "response": gettext_lazy("response"),
    "language": gettext_lazy("language"),
}

LONG_VALUE = 200


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class EntryView:
    """One audit entry in words."""

    entry: AuditEntry
    what: str
    object_kind: str
    changes: list[Change] = field(default_factory=list)

    @property
    def at(self):
        return self.entry.at

    @property
    def actor(self):
        return self.entry.actor

    @property
    def object_repr(self):
        return self.entry.object_repr


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    """The field `key` names, by name or attribute name ("created_by_id")."""
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    # Reverse relations have no label of their own.
    return found if isinstance(found, models.Field) else None


def _label(model: type[models.Model] | None, key: str) -> str:
    """A field's name in the reader's language; "Subject (French)" for translations."""
    language = key.rsplit("_", 1)[-1] if "_" in key else ""
    if language in settings.LANGUAGE_CODES:
        base = _field(model, key.rsplit("_", 1)[0])
        if base is not None:
            return _("%(field)s (%(language)s)") % {
                "field": capfirst(base.verbose_name),
                "language": language_name(language, in_sentence=True),
            }
    found = _field(model, key)
    if found is not None and hasattr(found, "verbose_name"):
        return str(capfirst(found.verbose_name))
    if key in KEYS:
        return str(capfirst(KEYS[key]))
    return capfirst(key.replace("_", " "))


def _related_model(found: models.Field | None) -> type[models.Model] | None:
    if found is not None and found.is_relation and found.related_model is not None:
        return found.related_model
    return None


def _ids(value: Any) -> list:
    if isinstance(value, list):
        return [item for item in value if isinstance(item, (int, str))]
    if isinstance(value, (int, str)):
        return [value]
    return []


def _format(value: Any, found: models.Field | None, names: dict) -> str:
    if value is None or value == "" or value == []:
        return "—"
    related = _related_model(found)
    if related is not None:
        known = names.get(related, {})
        return ", ".join(str(known.get(str(item), f"#{item}")) for item in _ids(value)) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = getattr(found, "flatchoices", None) if found is not None else None
    if choices and not isinstance(value, (list, dict)):
        for key, label in choices:
            if str(key) == str(value):
                return str(label)
    if isinstance(value, str) and isinstance(found, models.DateTimeField):
        parsed = parse_datetime(value)
        if parsed is not None:
            return date_format(timezone.localtime(parsed), "DATETIME_FORMAT")
    if isinstance(value, str) and isinstance(found, models.DateField):
        parsed = parse_date(value[:10])
        if parsed is not None:
            return date_format(parsed, "DATE_FORMAT")
    if isinstance(value, (datetime, date)):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(_format(item, found, names) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(
            f"{_label(None, str(key))}: {_format(item, None, names)}" for key, item in value.items()
        )
    return Truncator(str(value)).chars(LONG_VALUE)


def action_label(entry: AuditEntry) -> str:
    """What was done, as a noun in the reader's language ("Creation")."""
    verb = entry.action.rsplit(".", 1)[-1]
    label = VERBS.get(verb)
    return str(label) if label is not None else capfirst(verb.replace("_", " "))


def object_kind(entry: AuditEntry) -> str:
    """The kind of object the entry is about ("Circular"), in the reader's language."""
    model = _model(entry.object_type)
    return str(capfirst(model._meta.verbose_name)) if model else ""


def describe(entries: Iterable[AuditEntry]) -> list[EntryView]:
    """The entries in words, in the active language; related objects are named with one
    query per related model for the whole list."""
    entries = list(entries)
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model = _model(entry.object_type)
        for values in (entry.before or {}, entry.after or {}):
            if not isinstance(values, dict):
                continue
            for key, value in values.items():
                related = _related_model(_field(model, key))
                if related is not None:
                    wanted[related].update(str(item) for item in _ids(value))
    names: dict[type[models.Model], dict[str, models.Model]] = {}
    for related, keys in wanted.items():
        pk = related._meta.pk
        try:
            cleaned = [pk.to_python(key) for key in keys]
        except Exception:  # noqa: BLE001 - a malformed id is shown as it is
            cleaned = []
        names[related] = {
            str(key): obj for key, obj in related._base_manager.in_bulk(cleaned).items()
        }

    views = []
    for entry in entries:
        model = _model(entry.object_type)
        before = entry.before if isinstance(entry.before, dict) else {}
        after = entry.after if isinstance(entry.after, dict) else {}
        changes: list[Change] = []
        keys = list(dict.fromkeys([*before, *after]))
        for key in keys:
            # The row's id says nothing; a translated field's own column repeats one of
            # its languages, shown next to it.
            if key == "id" or any(f"{key}_{code}" in keys for code in settings.LANGUAGE_CODES):
                continue
            found = _field(model, key)
            change = Change(
                label=_label(model, key),
                before=_format(before.get(key), found, names) if key in before else "",
                after=_format(after.get(key), found, names) if key in after else "",
            )
            # Services often record a related object's id and its name side by side.
            if change not in changes:
                changes.append(change)
        views.append(
            EntryView(
                entry=entry,
                what=action_label(entry),
                object_kind=object_kind(entry),
                changes=changes,
            )
        )
    return views
