"""Values many pages need and few changes touch, built once and kept until their data changes.

`remember(name, build)` returns what `build()` returns, kept in the shared cache (which
every web process reads) under a version token of `name`; `forget_when_changed(name,
models)` replaces that token whenever a row of those models is saved or deleted, so the
next page shows the change. Writes that send no signal (bulk updates) call
`forget(name)` themselves.

A change is seen before its transaction commits: a page built meanwhile in another
process would read the old rows and keep them under the new token. So for
settings.FRAGMENTS_QUIET_SECONDS after a change, values are built but not kept (the
transactions of the platform are far shorter).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save


def _cache():
    return caches["shared"]


def _state_key(name: str) -> str:
    return f"fragments:{name}:state"


def _version(name: str) -> tuple[str, float]:
    """The current token of `name`, and when it last changed (0 if never seen changing).

    Both in one entry, written at once by forget(): one read of the cache per name."""
    state_key = _state_key(name)
    state = _cache().get(state_key)
    if state is None:
        state = (secrets.token_hex(8), 0.0)
        if not _cache().add(state_key, state, None):
            state = _cache().get(state_key) or state
    return state


def remember[T](
    name: str, build: Callable[[], T], *, variant: str = "", timeout: int | None = None
) -> T:
    """The value of `build()` for `name` (and `variant`, e.g. a language), as last built
    since the data last changed (and at most `timeout` seconds ago, when given)."""
    version, changed = _version(name)
    key = f"fragments:{name}:{version}:{variant}"
    value = _cache().get(key)
    if value is None:
        value = build()
        if time.time() - changed >= settings.FRAGMENTS_QUIET_SECONDS:
            _cache().set(key, value, timeout)
    return value


def page_asked(request, parameter: str = "page") -> str:
    """The page number asked for in `parameter`, as a number of at most four digits, or ""
    (the first page): any other value would show the first or the last page and, kept
    under its own name, fill the cache with copies."""
    asked = request.GET.get(parameter, "")
    return str(int(asked)) if asked.isascii() and asked.isdigit() and len(asked) <= 4 else ""


def for_visitors[T](
    request, name: str, build: Callable[[], T], *parts: object, timeout: int | None = None
) -> T:
    """`build()` for a signed-in reader (what they see depends on who they are); for a
    visitor, the value kept under `name` for the reader's language and `parts` (what
    else the page depends on: its object, its normalised query, the day)."""
    if request.user.is_authenticated:
        return build()
    from django.utils.translation import get_language

    language = get_language() or settings.LANGUAGE_CODE
    key = "|".join(str(part) for part in (language, *parts))
    return remember(name, build, variant=hashlib.sha256(key.encode()).hexdigest(), timeout=timeout)


def render_page(request, template: str, title: str | None, content: str):
    """The page `template` around a body built or kept as HTML by the project's own
    templates; 404 when `title` is None (no such object for this reader)."""
    from django.http import Http404
    from django.shortcuts import render
    from django.utils.safestring import mark_safe

    if title is None:
        raise Http404
    return render(
        request,
        template,
        {"title": title, "content": mark_safe(content)},  # noqa: S308 - our own template's output
    )


def forget(name: str) -> None:
    _cache().set(_state_key(name), (secrets.token_hex(8), time.time()), None)


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
