"""Plain factory functions for the matchmaking tests."""

from itertools import count

from learning.models import LearningNeed
from library.models import Experience, Status
from network.tests.factories import make_city  # noqa: F401 - shared with the tests

_serial = count(1)


def make_experience(city, *, language="en", title="", summary="", **overrides) -> Experience:
    themes = overrides.pop("themes", [])
    experience = Experience(
        city=city,
        original_language=language,
        status=overrides.pop("status", Status.PUBLISHED),
        external_ref=overrides.pop("external_ref", None),
        **overrides,
    )
    setattr(experience, f"title_{language}", title or f"Experience {next(_serial)}")
    setattr(experience, f"summary_{language}", summary)
    experience.save()
    if themes:
        from library.models import Theme

        experience.themes.set(Theme.objects.filter(key__in=themes))
    return experience


def make_need(city, *, language="fr", title="", problem="", **overrides) -> LearningNeed:
    need = LearningNeed(city=city, original_language=language, **overrides)
    setattr(need, f"title_{language}", title or f"Need {next(_serial)}")
    setattr(need, f"problem_{language}", problem or "-")
    need.save()
    return need
