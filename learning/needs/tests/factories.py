"""Factories for the tests of learning needs and the agenda: make_x(**overrides) -> saved.

The people are the cast of the root conftest (Amina represents Rabat, Sofia runs a
commission's secretariat, Pablo sits on its presidency, Nadia administers the network, Lea
is signed in with no role) and, in the needs tests' conftest, Diego, who represents
another city.
"""

from __future__ import annotations

import itertools

from learning.models import LearningNeed, NeedStatus, NeedVisibility
from learning.needs import services
from library.models import Theme
from library.tests.factories import make_experience
from network.tests.factories import make_city  # noqa: F401 - shared with the tests

_serial = itertools.count(1)


def make_theme(key: str = "strategic-planning", label: str = "") -> Theme:
    theme, _created = Theme.objects.get_or_create(
        key=key, defaults={"label_en": label or key.replace("-", " ").capitalize()}
    )
    return theme


def make_need(
    city=None,
    *,
    language: str = "en",
    status: str = NeedStatus.OPEN,
    visibility: str = NeedVisibility.PUBLISHED,
    themes=(),
    actor=None,
    **texts,
) -> LearningNeed:
    n = next(_serial)
    texts.setdefault("title", f"Need {n}")
    texts.setdefault("problem", f"The problem of need {n}.")
    need = services.create_need(
        city=city or make_city(),
        original_language=language,
        texts=texts,
        themes=themes,
        visibility=visibility,
        actor=actor,
    )
    if status != NeedStatus.OPEN:
        services.change_need_status(need, status=status, actor=actor)
        need.refresh_from_db()
    return need


def make_offered_experience(city, *, themes=(), offered: bool = True, **texts):
    """A published experience whose city does (or does not) offer peer learning on it."""
    experience = make_experience(city, themes=themes, **texts)
    experience.offers_peer_learning = offered
    experience.save(update_fields=["offers_peer_learning"])
    return experience
