"""Writing the audit log. Every service that changes data calls `record`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from .models import AuditEntry

if TYPE_CHECKING:
    from accounts.models import User


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj` as JSON-friendly data."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        value = getattr(obj, field.attname)
        if value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)
        values[field.attname] = value
    return values


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the keys whose values differ, from each side."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def record(
    action: str,
    obj: models.Model,
    *,
    actor: User | None = None,
    before: dict | None = None,
    after: dict | None = None,
    commission: models.Model | None = None,
) -> AuditEntry:
    """Write one audit entry for a write to `obj` by `actor` (None for the system)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        commission=commission,  # type: ignore[misc]  # a commissions.Commission, which audit's layer cannot import to name
    )
