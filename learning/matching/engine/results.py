"""What the engine returns: suggested experiences, cities and needs, and their strength."""

from dataclasses import dataclass

from django.utils.translation import gettext

from learning.models import LearningNeed
from library.models import Experience
from network.models import Organisation


@dataclass
class ExperienceSuggestion:
    experience: Experience
    score: float
    topic: float
    reasons: list[str]
    # name -> value of each bonus or penalty, for tests and the benchmark.
    factors: dict[str, float]
    shared: list[str]
    # The experience's sentence closest in meaning to the need ("" if none).
    quote: str = ""
    # How many of the reasons, at the start, are about the experience's topic.
    topic_reasons: int = 0

    @property
    def strength(self) -> str:
        return strength_label(self.score)

    @property
    def city(self) -> Organisation:
        return self.experience.city

    @property
    def quote_parts(self) -> tuple[str, str, str] | None:
        """The first reason, when it quotes the experience, cut around the quotation
        (what comes before, the sentence, what comes after), so that a page can mark
        the sentence as written in the experience's language."""
        if not self.quote or not self.reasons:
            return None
        before, found, after = self.reasons[0].partition(self.quote)
        return (before, found, after) if found else None


@dataclass
class CitySuggestion:
    city: Organisation
    score: float
    reasons: list[str]
    experiences: list[ExperienceSuggestion]

    @property
    def strength(self) -> str:
        return strength_label(self.score)


# Scores at or above these read as a strong / good match; below, a possible one.
STRONG_MATCH = 0.75
GOOD_MATCH = 0.45


def strength_label(score: float) -> str:
    """What a score means to a person, instead of the number."""
    if score >= STRONG_MATCH:
        return gettext("Strong match")
    if score >= GOOD_MATCH:
        return gettext("Good match")
    return gettext("Possible match")


@dataclass
class Suggestions:
    experiences: list[ExperienceSuggestion]
    cities: list[CitySuggestion]
    # The concepts recognised in the need, for "we understood: ...".
    concepts: list[str]


@dataclass
class NeedSuggestion:
    need: LearningNeed
    score: float
    reasons: list[str]

    @property
    def strength(self) -> str:
        return strength_label(self.score)
