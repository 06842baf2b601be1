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
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from entrevilles.dates import format_date
from entrevilles.languages import language_name

from .models import AuditEntry
from .verbs import verb_label

# Keys some services record that are not fields of the object (in a context of their own,
# as the verbs are: Django merges every app's catalogue into one per language).
KEYS = {
    "count": pgettext_lazy("audit field", "number"),
    "emails": pgettext_lazy("audit field", "e-mail addresses"),
    "recipients": pgettext_lazy("audit field", "recipients"),
    "reason": pgettext_lazy("audit field", "reason"),
    "segments": pgettext_lazy("audit field", "audience"),
    "documents": pgettext_lazy("audit field", "documents"),
    "actions": pgettext_lazy("audit field", "actions"),
    "people": pgettext_lazy("audit field", "people"),
    "organisations": pgettext_lazy("audit field", "organisations"),
    "organisation": pgettext_lazy("audit field", "organisation"),
    "person": pgettext_lazy("audit field", "person"),
    "user": pgettext_lazy("audit field", "user"),
    "role": pgettext_lazy("audit field", "role"),
    "created": pgettext_lazy("audit field", "created"),
    "updated": pgettext_lazy("audit field", "updated"),
    "updated_ids": pgettext_lazy("audit field", "updated"),
    "cities_created": pgettext_lazy("audit field", "cities created"),
    "detail": pgettext_lazy("audit field", "detail"),
    "update": pgettext_lazy("audit field", "update"),
    "outcomes": pgettext_lazy("audit field", "outcomes"),
    "outcome": pgettext_lazy("audit field", "outcome"),
    "note": pgettext_lazy("audit field", "note"),
    "file": pgettext_lazy("audit field", "file"),
    "document": pgettext_lazy("audit field", "document"),
    "action": pgettext_lazy("audit field", "action"),
    "text": pgettext_lazy("audit field", "text"),
    "version": pgettext_lazy("audit field", "version"),
    "response": pgettext_lazy("audit field", "response"),
    "language": pgettext_lazy("audit field", "language"),
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
        return pgettext("audit value", "yes") if value else pgettext("audit value", "no")
    choices = getattr(found, "flatchoices", None) if found is not None else None
    if choices and not isinstance(value, (list, dict)):
        for key, label in choices:
            if str(key) == str(value):
                return str(label)
    if isinstance(value, str) and isinstance(found, models.DateTimeField):
        parsed = parse_datetime(value)
        if parsed is not None:
            return format_date(timezone.localtime(parsed), "DATETIME_FORMAT")
    if isinstance(value, str) and isinstance(found, models.DateField):
        parsed = parse_date(value[:10])
        if parsed is not None:
            return format_date(parsed, "DATE_FORMAT")
    if isinstance(value, (datetime, date)):
        return format_date(value, "DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(_format(item, found, names) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(
            f"{_label(None, str(key))}: {_format(item, None, names)}" for key, item in value.items()
        )
    return Truncator(str(value)).chars(LONG_VALUE)


def action_label(entry: AuditEntry) -> str:
    """What was done, as a noun in the reader's language ("Creation")."""
    return verb_label(entry.action)


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
