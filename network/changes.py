"""The one place that tells the apps keeping copies of organisations' fields that they changed.

Other apps copy some of an organisation's fields onto their own rows so that their
pages read one table (a learning need keeps its city's region and size class; a
partnership party its organisation's region, country, coordinates and names). Each such
app subscribes a handler here from its AppConfig.ready; the directory's services call
`organisations_changed` once after every write that may change those fields, whether
through save() or in bulk (a CSV import, a country moved to another region, populations
learnt by an import), inside the write's transaction, so the copies commit with it.

A handler takes the organisations' ids (sorted, each once) and the names of the
fields that may have changed, and refreshes its copies in a few queries, not one per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

Handler = Callable[[list[int], frozenset[str]], None]

_handlers: list[Handler] = []


def subscribe(handler: Handler) -> Handler:
    """Call `handler(ids, fields)` after each change to organisations (once, however
    often subscribed); returns it, so that it can decorate a function."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def every_field() -> frozenset[str]:
    """The names of all of an organisation's fields: what a write that does not say which
    fields it changed may have changed."""
    from .models import Organisation

    return frozenset(field.name for field in Organisation._meta.concrete_fields)


def organisations_changed(ids: Iterable[int], *, fields: Iterable[str] | None = None) -> None:
    """Tell every subscriber that these organisations were written.

    `fields` names what may have changed (field names or column names, e.g. "country"
    or "country_id"); None means any of them. Call it after the write and inside its
    transaction: the copies are then written, and committed or rolled back, with it.
    """
    from .models import Organisation

    ids = sorted(set(ids))
    if not ids:
        return
    if fields is None:
        names = every_field()
    else:
        names = frozenset(Organisation._meta.get_field(name).name for name in fields)
    if not names:
        return
    # No savepoint inside the caller's transaction; one transaction of its own otherwise,
    # so that every copy is written or none is.
    with transaction.atomic(savepoint=False):
        for handler in list(_handlers):
            handler(ids, names)
