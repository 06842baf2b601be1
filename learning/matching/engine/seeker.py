"""Who is looking: the concepts of a need or a text, its city's profile and its meaning."""

from dataclasses import dataclass, field

from learning.matching import concepts, index
from learning.models import LearningNeed
from network.models import SizeClass


@dataclass
class Seeker:
    """Who is looking: the need's concepts and its city's profile (all optional)."""

    vector: dict[str, float]
    language: str = "en"
    working_languages: list[str] = field(default_factory=list)
    city_id: int | None = None
    region_code: str = ""
    region_name: str = ""
    size_class: str = ""
    need: LearningNeed | None = None
    # How many experiences name each concept of the vector, and how many there are.
    frequencies: tuple[dict, int] | None = None
    # The text whose meaning is compared (the need's), embedded when first needed.
    text: str = ""
    _meaning: object = None

    def meaning(self):
        """The sentence embedding of the seeker's text, or None when the model is not
        available (the concepts alone rank then)."""
        if self._meaning is None and self.text:
            self._meaning = semantic_query(self.text)
            if self._meaning is None:
                self.text = ""  # not again for this seeker
        return self._meaning


def semantic_query(text: str):
    """The embedding of a need's text (remembered for an hour), or None without a model."""
    from django.core.cache import cache

    from search import embedding

    key = "matching:meaning:" + embedding.model_key() + ":" + embedding.text_digest(text)
    vector = cache.get(key)
    if vector is None:
        try:
            vector = embedding.embed([text], "query")[0]
        except embedding.ModelUnavailable:
            return None
        cache.set(key, vector, 3600)
    return vector


def _vector(counts: dict[str, float]) -> tuple[dict[str, float], tuple[dict, int]]:
    """The weighted vector, and the frequencies read for it (reused for retrieval)."""
    known, total = index.frequencies("experiences", counts)
    return concepts.weigh(counts, known, total), (known, total)


def seeker_for_text(
    text: str,
    language: str,
    *,
    country=None,
    population: int | None = None,
    working_languages=None,
) -> Seeker:
    """A seeker for an ad-hoc text (no stored need), e.g. the match_need command."""
    lex = concepts.lexicon()
    counts = concepts.concept_counts([(text, language, 1.0)], lex)
    region = country.region if country is not None else None
    vector, frequencies = _vector(counts)
    return Seeker(
        vector=vector,
        frequencies=frequencies,
        language=language,
        working_languages=list(working_languages or [language]),
        region_code=region.code if region else "",
        region_name=region.name if region else "",
        size_class=SizeClass.for_population(population),
        text=text,
    )


def seeker_for_need(need: LearningNeed) -> Seeker:
    """A seeker for a stored need (its city with region loaded: `select_related`)."""
    lex = concepts.lexicon()
    texts = [
        (getattr(need, f"{name}_{code}") or "", code, weight)
        for name, weight in index.NEED_FIELDS.items()
        for code in concepts.LANGUAGES
    ]
    counts = concepts.concept_counts(
        [text for text in texts if text[0]],
        lex,
        themes=[theme.key for theme in need.themes.all()],
        sdgs=[sdg.number for sdg in need.sdgs.all()],
    )
    city = need.city
    languages = list(dict.fromkeys([*(need.working_languages or []), need.original_language]))
    if not need.working_languages:
        languages += [code for code in city.working_languages or [] if code not in languages]
    vector, frequencies = _vector(counts)
    return Seeker(
        vector=vector,
        frequencies=frequencies,
        language=need.original_language,
        working_languages=languages,
        city_id=city.pk,
        region_code=city.region.code,
        region_name=city.region.name,
        size_class=city.size_class,
        need=need,
        text=need_text(need),
    )


def need_text(need: LearningNeed) -> str:
    """What a need asks, in its original language: its title, problem and context."""
    code = need.original_language
    return "\n".join(
        text
        for name in index.NEED_FIELDS
        if (text := getattr(need, f"{name}_{code}", "") or getattr(need, name, "") or "")
    )
