"""Values many pages need and few changes touch, built once and kept until their data changes.

`remember(name, build)` returns what `build()` returns, kept in the shared cache (which
every web process reads) under a version token of `name`; `forget_when_changed(name,
models)` replaces that token whenever a row of those models is saved or deleted, at once
and again when the transaction commits (a value built meanwhile from the old rows stays
under a token nobody asks for), so the next page shows the change. Writes that send no
signal (bulk updates) call `forget(name)` themselves.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable

from django.core.cache import caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save


def _cache():
    return caches["shared"]


def _version(name: str) -> str:
    key = f"fragments:{name}:version"
    version = _cache().get(key)
    if version is None:
        version = secrets.token_hex(8)
        if not _cache().add(key, version, None):
            version = _cache().get(key) or version
    return version


def remember[T](
    name: str, build: Callable[[], T], *, variant: str = "", timeout: int | None = None
) -> T:
    """The value of `build()` for `name` (and `variant`, e.g. a language), as last built
    since the data last changed (and at most `timeout` seconds ago, when given)."""
    key = f"fragments:{name}:{_version(name)}:{variant}"
    value = _cache().get(key)
    if value is None:
        value = build()
        _cache().set(key, value, timeout)
    return value


def forget(name: str) -> None:
    def replace():
        _cache().set(f"fragments:{name}:version", secrets.token_hex(8), None)

    replace()
    transaction.on_commit(replace)


def forget_when_changed(name: str, models: Iterable[type[Model]]) -> None:
    """Connect the signals (call it from an AppConfig.ready)."""

    def receiver(**kwargs):
        forget(name)

    for model in models:
        for signal, when in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                receiver,
                sender=model,
                weak=False,
                dispatch_uid=f"fragments:{name}:{when}:{model._meta.label}",
            )
        # Its many-to-many links (a meeting's commissions) change without a save.
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                receiver,
                sender=through,
                weak=False,
                dispatch_uid=f"fragments:{name}:m2m:{through._meta.label}",
            )
