"""What visitors see of the library's lists, rendered once and kept.

Visitors (not signed in) all see the same list of experiences and of documents: the
content of each is rendered once per page, filter and language and kept
(entrevilles.fragments) until a row it shows changes, and at most KEPT_SECONDS. Signed-in
readers see what their roles allow, built for them on each request.

`register()` (from LibraryConfig.ready) names the models each list reads; writes that
send no signal (experiences imported, organisations written in bulk) call `forget_all()`.
"""

from __future__ import annotations

from collections.abc import Callable

from entrevilles import fragments

EXPERIENCES = "library:experiences"
DOCUMENTS = "library:documents"
NAMES = (EXPERIENCES, DOCUMENTS)

# A list no change has touched is still built again after this long.
KEPT_SECONDS = 600


def for_visitors[T](request, name: str, query: str | None, build: Callable[[], T]) -> T:
    """`build()` for a signed-in reader, or when `query` is None (a filter no list knows,
    not worth keeping); for a visitor, as last built for this list, normalised `query` and
    language since the list's data last changed."""
    if query is None:
        return build()
    return fragments.for_visitors(request, name, build, query, timeout=KEPT_SECONDS)


def theme_keys() -> frozenset[str]:
    """The keys of the themes, kept with the list of experiences."""
    from library.models import Theme

    return fragments.remember(
        EXPERIENCES,
        lambda: frozenset(Theme.objects.values_list("key", flat=True)),
        variant="theme-keys",
        timeout=KEPT_SECONDS,
    )


def forget_all(ids=None, fields=None) -> None:
    """After a write that sends no signal."""
    for name in NAMES:
        fragments.forget(name)


def register() -> None:
    from library.models import Document, Experience, Theme
    from network.models import Country, Organisation

    pages = {
        EXPERIENCES: [Experience, Theme, Organisation, Country],
        DOCUMENTS: [Document, Organisation],
    }
    for name, models in pages.items():
        fragments.forget_when_changed(name, models)
