"""The ranking of experiences and peer cities for a need, and of needs for an experience.

Two steps, so that it stays fast with 100,000 experiences:

1. Candidates: the experiences closest in meaning to the need (`search.semantic`: a
   sentence embedding of the need against every experience's, standardised within each
   language so that an answer in another language is not pushed out by weaker ones in
   the need's own), and those sharing its concepts: the need's text (any language)
   becomes a vector of concepts
   (`concepts`); the database sums, over the postings of those concepts only, the
   products of weights (a cosine between the two vectors) and returns the best
   CANDIDATES experiences. Very common concepts (named by more than a third of the
   experiences, in an index of 5,000 or more) are left out of this step when rarer ones
   are there: they would make
   the database read most of the index for little information; they still count in
   step 2.
2. Ranking: for each candidate, score = topic × (1 + bonuses) × penalties, where
   topic = SEMANTIC_SHARE × meaning + (1 − SEMANTIC_SHARE) × concepts: meaning is the
   standardised similarity brought to 0–1 (`_meaning_share`), concepts the exact cosine over
   every concept of the need (the glossary: a precise signal where it knows the words).
   The reasons name the shared concepts and quote the experience's sentence closest in
   meaning to the need. Each bonus comes with the reason shown to the reader:

   - same size class as the need's city: +0.20; small town facing a metropolis (or
     the reverse): -0.20;
   - a working language in common with the need (or its city): +0.10;
   - the same world region: +0.10; or a South-South pairing (both cities in Africa,
     Asia-Pacific, Latin America or the Middle East & West Asia, different regions):
     +0.10;
   - track record: +0.05 if the city has published two experiences or more; +0.10 if
     it has mentored a partnership that completed;
   - the city offers to host peer learning on this experience: +0.10.

   Set-aside suggestions (`SuggestionDismissal`) are never shown again for that need,
   and their reason lowers similar suggestions:

   - "not the same problem": the concepts the set-aside experience shared with the
     need count half in the need's vector (the match was on a side issue);
   - "too far": experiences of cities in the set-aside city's region, when that is
     not the need's region, × 0.6;
   - "different size": experiences of cities of the set-aside city's size class, when
     it is not the need's, × 0.6;
   - "no language in common": experiences written in the set-aside one's language
     whose city shares no working language with the need, × 0.6;
   - "already known": the other experiences of the same city × 0.5 (a set-aside peer
     city also leaves the list of peer cities);
   - "another reason": only the item itself goes.

Peer cities are the cities of the ranked experiences: a city's score is its best
experience's plus 0.3 × its second best, so that a city with several answers comes
first among equals.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, FloatField, Sum, Value, When
from django.utils.translation import gettext, ngettext

from learning.matching import concepts, index
from learning.models import (
    DismissalReason,
    ExperienceConcept,
    LearningNeed,
    NeedConcept,
    NeedStatus,
    PartnershipParty,
    PartnershipStatus,
    PartyRole,
    SuggestionDismissal,
)
from library.models import Experience, Status
from network.models import Organisation, SizeClass

CANDIDATES = 300
# Peer cities are grouped from this many of the best experiences.
SHOWN_FOR_CITIES = 40
COMMON_SHARE = 1 / 3
# Below this many documents, reading every posting is cheap anyway.
COMMON_MIN_TOTAL = 5_000
MAX_QUERY_CONCEPTS = 16
TOPIC_FLOOR = 0.02
# How much of the topic the meaning decides (the rest: the glossary's concepts), and the
# standardised similarity counted as a full match (a z-score: how far above the average
# text of its language).
SEMANTIC_SHARE = 0.9
FULL_MEANING = 4.0

SAME_SIZE = 0.20
FAR_SIZE = -0.20
SHARED_LANGUAGE = 0.10
SAME_REGION = 0.10
SOUTH_SOUTH = 0.10
PUBLISHED_RECORD = 0.05
PUBLISHED_RECORD_MIN = 2
MENTOR_RECORD = 0.10
OFFERS_TO_HOST = 0.10
DISMISSAL_FACTOR = 0.6
ALREADY_KNOWN_FACTOR = 0.5
NOT_RELEVANT_FACTOR = 0.5
SECOND_EXPERIENCE_SHARE = 0.3

GLOBAL_SOUTH = frozenset({"africa", "asia-pacific", "latin-america", "middle-east-west-asia"})
SIZE_ORDER = {SizeClass.SMALL_TOWN: 0, SizeClass.INTERMEDIARY: 1, SizeClass.METROPOLIS: 2}


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


def _meaning_share(score: float) -> float:
    """A standardised similarity brought to 0–1 (FULL_MEANING and above count as 1)."""
    return min(max(score, 0.0) / FULL_MEANING, 1.0)


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


# --- the seeker ---------------------------------------------------------------------------


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


# --- candidates ---------------------------------------------------------------------------


def _weighted_sum(query: dict[str, float]):
    return Sum(
        F("weight")
        * Case(
            *[When(concept=key, then=Value(weight)) for key, weight in query.items()],
            default=Value(0.0),
            output_field=FloatField(),
        ),
        output_field=FloatField(),
    )


def _retrieval_concepts(
    vector: dict[str, float], column: str, known_frequencies=None
) -> dict[str, float]:
    """The concepts worth reading postings for (see the module's docstring)."""
    best = dict(sorted(vector.items(), key=lambda item: -item[1])[:MAX_QUERY_CONCEPTS])
    if known_frequencies is not None:
        known, total = known_frequencies
    else:
        known, total = index.frequencies(column, best)
    if total < COMMON_MIN_TOTAL:
        return best
    rare = {key: w for key, w in best.items() if 0 < known.get(key, 0) <= total * COMMON_SHARE}
    return rare or best


def candidate_scores(
    model, owner: str, vector: dict[str, float], column: str, limit: int, frequencies=None
):
    """The `limit` best (owner id, partial cosine) by the index of concepts."""
    query = _retrieval_concepts(vector, column, frequencies)
    if not query:
        return []
    rows = (
        model.objects.filter(concept__in=list(query))
        .values(f"{owner}_id")
        .annotate(score=_weighted_sum(query))
        .order_by("-score", f"{owner}_id")[:limit]
    )
    return [(row[f"{owner}_id"], row["score"]) for row in rows]


def exact_topics(model, owner: str, vector: dict[str, float], ids: list[int]):
    """The cosine over every concept of the vector, and the concepts shared, per id."""
    topics: dict[int, float] = {}
    shared: dict[int, list[tuple[float, str]]] = {}
    rows = model.objects.filter(**{f"{owner}_id__in": ids}, concept__in=list(vector)).values_list(
        f"{owner}_id", "concept", "weight"
    )
    for owner_id, key, weight in rows:
        contribution = weight * vector[key]
        topics[owner_id] = topics.get(owner_id, 0.0) + contribution
        shared.setdefault(owner_id, []).append((contribution, key))
    return topics, {
        owner_id: [key for _c, key in sorted(pairs, reverse=True)]
        for owner_id, pairs in shared.items()
    }


# --- reasons ------------------------------------------------------------------------------


def _language_names(codes) -> str:
    from django.conf import settings

    from entrevilles.languages import language_name

    # After "A working language in common:", inside the sentence: "anglais, français".
    return ", ".join(
        language_name(code, in_sentence=True) for code in codes if code in dict(settings.LANGUAGES)
    )


def _concept_list(keys: list[str], lex, limit: int = 4) -> str:
    labels = list(dict.fromkeys(lex.label(key) for key in keys))
    return ", ".join(labels[:limit])


class _Reasons(list):
    """A list of reasons that only builds them when asked to (`explain`)."""

    def __init__(self, explain: bool):
        super().__init__()
        self.explain = explain

    def add(self, build) -> None:
        if self.explain:
            self.append(build())


def _city_factors(
    seeker: Seeker, city, record: dict, explain: bool = True
) -> tuple[dict, list[str]]:
    """The bonuses that depend on the city, with their reasons in the active language.

    `city` is an organisation with its region, or a lighter object with the same
    attributes; without `explain`, no reason is written (ranking hundreds of candidates).
    """
    factors: dict[str, float] = {}
    reasons = _Reasons(explain)
    if seeker.size_class and city.size_class:
        gap = abs(SIZE_ORDER[seeker.size_class] - SIZE_ORDER[city.size_class])
        if gap == 0:
            factors["size"] = SAME_SIZE
            reasons.add(
                lambda: (
                    gettext("A city of the same size: %(size_class)s")
                    % {"size_class": city.get_size_class_display()}
                )
            )
        elif gap == 2:
            factors["size"] = FAR_SIZE
            reasons.add(
                lambda: (
                    gettext("A city of a very different size: %(size_class)s")
                    % {"size_class": city.get_size_class_display()}
                )
            )
    shared_languages = [
        code for code in seeker.working_languages if code in (city.working_languages or [])
    ]
    if shared_languages:
        factors["language"] = SHARED_LANGUAGE
        reasons.add(
            lambda: (
                gettext("A working language in common: %(languages)s")
                % {"languages": _language_names(shared_languages)}
            )
        )
    region = city.region
    if seeker.region_code and region.code == seeker.region_code:
        factors["region"] = SAME_REGION
        reasons.add(lambda: gettext("The same region: %(region)s") % {"region": region.name})
    elif seeker.region_code in GLOBAL_SOUTH and region.code in GLOBAL_SOUTH:
        factors["region"] = SOUTH_SOUTH
        reasons.add(
            lambda: (
                gettext("A South-South pairing: %(region)s and %(other)s")
                % {"region": seeker.region_name, "other": region.name}
            )
        )
    published = record.get("published", 0)
    if published >= PUBLISHED_RECORD_MIN:
        factors["published"] = PUBLISHED_RECORD
        reasons.add(
            lambda: (
                ngettext(
                    "Track record: %(count)s published experience",
                    "Track record: %(count)s published experiences",
                    published,
                )
                % {"count": published}
            )
        )
    mentored = record.get("mentored", 0)
    if mentored:
        factors["mentored"] = MENTOR_RECORD
        reasons.add(
            lambda: (
                ngettext(
                    "Has mentored %(count)s completed partnership",
                    "Has mentored %(count)s completed partnerships",
                    mentored,
                )
                % {"count": mentored}
            )
        )
    return factors, reasons


def track_records(city_ids) -> dict[int, dict]:
    """Published experiences and completed partnerships as mentor, per city (2 queries)."""
    records: dict[int, dict] = {pk: {} for pk in city_ids}
    # Grouped by status too, and the published ones kept here: a condition on the status
    # would lead SQLite to read every published experience through the status index.
    for city_id, status, count in (
        Experience.objects.filter(city_id__in=list(records))
        .order_by()
        .values_list("city_id", "status")
        .annotate(n=Count("id"))
    ):
        if status == Status.PUBLISHED:
            records[city_id]["published"] = count
    for city_id, count in (
        PartnershipParty.objects.filter(
            organisation_id__in=list(records),
            role=PartyRole.MENTOR,
            partnership__status=PartnershipStatus.COMPLETED,
        )
        .order_by()
        .values_list("organisation_id")
        .annotate(n=Count("id"))
    ):
        records[city_id]["mentored"] = count
    return records


# --- set-aside suggestions ----------------------------------------------------------------


@dataclass
class Profile:
    """What the ranking remembers of a set-aside item."""

    reason: str
    reason_label: str
    city_id: int
    region_id: int
    size_class: str
    language: str = ""


def dismissal_profiles(need: LearningNeed | None):
    """The set-aside experiences and cities of a need, and what they were like (1 query)."""
    if need is None:
        return set(), set(), []
    experiences, cities, profiles = set(), set(), []
    rows = SuggestionDismissal.objects.filter(need=need).select_related(
        "experience__city", "organisation"
    )
    for dismissal in rows:
        if dismissal.experience_id:
            experiences.add(dismissal.experience_id)
            city = dismissal.experience.city
            language = dismissal.experience.original_language
        else:
            cities.add(dismissal.organisation_id)
            city = dismissal.organisation
            language = (city.working_languages or [""])[0]
        profiles.append(
            Profile(
                dismissal.reason,
                dismissal.get_reason_display(),
                city.pk,
                city.region_id,
                city.size_class,
                language,
            )
        )
    return experiences, cities, profiles


def _not_relevant_concepts(need: LearningNeed | None, seeker: Seeker) -> set[str]:
    if need is None:
        return set()
    ids = list(
        SuggestionDismissal.objects.filter(
            need=need, reason=DismissalReason.NOT_RELEVANT, experience__isnull=False
        ).values_list("experience_id", flat=True)
    )
    if not ids:
        return set()
    return set(
        ExperienceConcept.objects.filter(
            experience_id__in=ids, concept__in=list(seeker.vector)
        ).values_list("concept", flat=True)
    )


def _penalties(
    seeker: Seeker, experience, shares_language: bool, profiles: list[Profile], explain: bool
):
    factor, reasons = 1.0, _Reasons(explain)
    city = experience.city
    for profile in profiles:
        applies = False
        if profile.reason == DismissalReason.TOO_FAR:
            applies = city.region_id == profile.region_id and city.region.code != seeker.region_code
            weight = DISMISSAL_FACTOR
        elif profile.reason == DismissalReason.DIFFERENT_SIZE:
            applies = bool(profile.size_class) and (
                city.size_class == profile.size_class and city.size_class != seeker.size_class
            )
            weight = DISMISSAL_FACTOR
        elif profile.reason == DismissalReason.LANGUAGE:
            applies = not shares_language and experience.original_language == profile.language
            weight = DISMISSAL_FACTOR
        elif profile.reason == DismissalReason.ALREADY_KNOWN:
            applies = city.pk == profile.city_id
            weight = ALREADY_KNOWN_FACTOR
        if applies:
            factor *= weight
            reasons.add(
                lambda profile=profile: (
                    gettext("Ranked lower: like a suggestion you set aside (%(reason)s)")
                    % {"reason": profile.reason_label}
                )
            )
    return factor, list(dict.fromkeys(reasons))


# --- ranking ------------------------------------------------------------------------------


@dataclass
class _Region:
    pk: int
    code: str


@dataclass
class _City:
    """What the ranking reads of a candidate's city, without loading the organisation."""

    pk: int
    size_class: str
    working_languages: list
    region_id: int
    region: _Region


@dataclass
class _Experience:
    pk: int
    original_language: str
    offers_peer_learning: bool
    city: _City


def _score(seeker, experience, topic, record, profiles, shared, lex, explain, quote=""):
    """(score, factors, reasons) of one candidate; reasons only when `explain`."""
    factors, city_reasons = _city_factors(seeker, experience.city, record, explain)
    reasons = _Reasons(explain)
    if quote:
        reasons.add(lambda: gettext("Similar: “%(sentence)s”") % {"sentence": quote})
    if shared:
        reasons.add(
            lambda: (
                gettext("The same problem: %(concepts)s") % {"concepts": _concept_list(shared, lex)}
            )
        )
    reasons += city_reasons
    if experience.offers_peer_learning:
        factors["host"] = OFFERS_TO_HOST
        reasons.add(lambda: gettext("The city offers to host peer learning on it"))
    factor, penalty_reasons = _penalties(
        seeker, experience, "language" in factors, profiles, explain
    )
    if factor != 1.0:
        factors["dismissals"] = factor
    reasons += penalty_reasons
    score = topic * max(1.0 + sum(v for k, v in factors.items() if k != "dismissals"), 0.1)
    return round(score * factor, 4), factors, list(reasons)


def _light_candidates(ids: list[int], exclude_city: int | None) -> list[_Experience]:
    # The status is checked here rather than in SQL: a condition on it would lead SQLite
    # to read every published experience through the status index instead of these ids.
    rows = (
        Experience.objects.filter(pk__in=ids)
        .exclude(city_id=exclude_city)
        .order_by()
        .values_list(
            "status",
            "pk",
            "original_language",
            "offers_peer_learning",
            "city_id",
            "city__size_class",
            "city__working_languages",
            "city__region_id",
            "city__region__code",
        )
    )
    return [
        _Experience(
            pk, language, host, _City(city, size, languages or [], region, _Region(region, code))
        )
        for status, pk, language, host, city, size, languages, region, code in rows
        if status == Status.PUBLISHED
    ]


def suggest(seeker: Seeker, *, top: int = 10, cities: int = 5) -> Suggestions:
    """The best experiences and peer cities for a seeker, with their reasons.

    Every candidate is scored from a few columns; only those shown are loaded in full
    and explained.
    """
    lex = concepts.lexicon()
    dismissed, dismissed_cities, profiles = dismissal_profiles(seeker.need)
    vector = dict(seeker.vector)
    if any(profile.reason == DismissalReason.NOT_RELEVANT for profile in profiles):
        for key in _not_relevant_concepts(seeker.need, seeker):
            vector[key] *= NOT_RELEVANT_FACTOR
    recognised = [key for key, _w in sorted(seeker.vector.items(), key=lambda i: -i[1])]
    compared = _compared(seeker)
    meaning = seeker.meaning() if compared is not None else None
    by_meaning = (
        {
            n.object_id: n.score
            for n in compared.nearest(CANDIDATES + len(dismissed), exclude=dismissed)
        }
        if compared is not None
        else {}
    )
    candidates = candidate_scores(
        ExperienceConcept,
        "experience",
        vector,
        "experiences",
        CANDIDATES + len(dismissed),
        seeker.frequencies,
    )
    ids = list(
        dict.fromkeys([*by_meaning, *(pk for pk, _score in candidates if pk not in dismissed)])
    )
    if not ids:
        return Suggestions([], [], recognised)
    if compared is not None:
        by_meaning.update(compared.of(pk for pk in ids if pk not in by_meaning))
    concept_topics, shared = exact_topics(ExperienceConcept, "experience", vector, ids)
    topics = {
        pk: _topic(by_meaning.get(pk) if meaning is not None else None, concept_topics.get(pk, 0.0))
        for pk in ids
    }
    light = [
        e for e in _light_candidates(ids, seeker.city_id) if topics.get(e.pk, 0) >= TOPIC_FLOOR
    ]
    records = track_records({experience.city.pk for experience in light})
    scored = [
        (
            _score(seeker, e, topics[e.pk], records[e.city.pk], profiles, [], lex, False)[0],
            e.pk,
        )
        for e in light
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    # Enough to fill the list of experiences and to group the peer cities from.
    shown = [pk for _score, pk in scored[: max(top, SHOWN_FOR_CITIES if cities else top)]]
    full = Experience.objects.filter(pk__in=shown).select_related("city__region").in_bulk()
    quotes = _quotes(meaning, shown[:top])
    ranked = []
    for pk in shown:
        experience = full[pk]
        score, factors, reasons = _score(
            seeker,
            experience,
            topics[pk],
            records[experience.city_id],
            profiles,
            shared.get(pk, []),
            lex,
            True,
            quotes.get(pk, ""),
        )
        ranked.append(
            ExperienceSuggestion(
                experience,
                score,
                round(topics[pk], 4),
                reasons,
                factors,
                shared.get(pk, []),
                quotes.get(pk, ""),
                int(bool(quotes.get(pk))) + int(bool(shared.get(pk))),
            )
        )
    ranked.sort(key=lambda s: (-s.score, s.experience.pk))
    return Suggestions(ranked[:top], _peer_cities(ranked, dismissed_cities, cities), recognised)


def _topic(meaning_score: float | None, concepts_score: float) -> float:
    """How well an experience answers the need, 0–1 (see the module's docstring)."""
    if meaning_score is None:
        return concepts_score
    return SEMANTIC_SHARE * _meaning_share(meaning_score) + (1 - SEMANTIC_SHARE) * concepts_score


def _compared(seeker: Seeker):
    """The need's meaning against every experience's (a `search.semantic.Comparison`), or
    None when no experience has a vector or there is no model: the concepts rank alone,
    and the need's text is not embedded at all."""
    from search import embedding, semantic

    try:
        vectors = semantic.vector_set("experience")
        if not len(vectors.ids):
            return None
        meaning = seeker.meaning()
        return None if meaning is None else semantic.compare(vectors, meaning)
    except embedding.ModelUnavailable:
        return None


def _needs_by_meaning(experience) -> dict[int, float]:
    """{need id: standardised similarity} of the needs closest in meaning to an experience
    (those in the search, that is published ones; {} before the vectors exist)."""
    from search import embedding, semantic

    try:
        meaning = semantic.stored_vector("experience", experience.pk)
        if meaning is None:
            return {}
        return {n.object_id: n.score for n in semantic.nearest("need", meaning, CANDIDATES)}
    except embedding.ModelUnavailable:
        return {}


def _quotes(meaning, ids: list[int]) -> dict[int, str]:
    """The sentence of each experience closest in meaning to the need."""
    if meaning is None or not ids:
        return {}
    from search import semantic

    return semantic.closest_sentences("experience", {pk: meaning for pk in ids})


def _peer_cities(ranked: list[ExperienceSuggestion], dismissed_cities, limit: int):
    by_city: dict[int, list[ExperienceSuggestion]] = {}
    for suggestion in ranked:
        if suggestion.city.pk not in dismissed_cities:
            by_city.setdefault(suggestion.city.pk, []).append(suggestion)
    result = []
    for items in by_city.values():
        score = items[0].score + SECOND_EXPERIENCE_SHARE * (items[1].score if len(items) > 1 else 0)
        # The city's reasons are those of its best experience, without the ones that
        # only concern that experience (its topic is summed up by the count below).
        reasons = [
            ngettext(
                "%(count)s experience answering this need: %(titles)s",
                "%(count)s experiences answering this need: %(titles)s",
                len(items),
            )
            % {
                "count": len(items),
                "titles": "; ".join(item.experience.title for item in items[:3]),
            }
        ]
        reasons += items[0].reasons[items[0].topic_reasons :]
        result.append(CitySuggestion(items[0].city, round(score, 4), reasons, items))
    result.sort(key=lambda c: (-c.score, c.city.pk))
    return result[:limit]


def suggestions_for_need(need: LearningNeed, *, top: int = 10, cities: int = 5) -> Suggestions:
    return suggest(seeker_for_need(need), top=top, cities=cities)


def needs_answered_by(experience: Experience, visible_needs, *, top: int = 10):
    """The needs (among `visible_needs`, a queryset) this experience answers best."""
    vector = dict(
        ExperienceConcept.objects.filter(experience=experience).values_list("concept", "weight")
    )
    by_meaning = _needs_by_meaning(experience)
    candidates = (
        candidate_scores(NeedConcept, "need", vector, "needs", CANDIDATES) if vector else []
    )
    ids = list(dict.fromkeys([*by_meaning, *(pk for pk, _s in candidates)]))
    if not ids:
        return []
    concept_topics, _shared = exact_topics(NeedConcept, "need", vector, ids)
    topics = {
        pk: _topic(by_meaning.get(pk) if by_meaning else None, concept_topics.get(pk, 0.0))
        for pk in ids
    }
    dismissed = set(
        SuggestionDismissal.objects.filter(
            experience=experience, need_id__in=list(topics)
        ).values_list("need_id", flat=True)
    )
    needs = (
        visible_needs.filter(pk__in=[pk for pk in topics if pk not in dismissed])
        .exclude(status__in=[NeedStatus.WITHDRAWN, NeedStatus.MET])
        .exclude(city_id=experience.city_id)
        .select_related("city__region")
    )
    lex = concepts.lexicon()
    city = experience.city
    ranked = []
    for need in needs:
        topic = topics[need.pk]
        if topic < TOPIC_FLOOR:
            continue
        shared = [key for key in _shared.get(need.pk, [])]
        reasons = []
        if need.pk in by_meaning:
            reasons.append(gettext("Asks for what this experience describes"))
        if shared:
            reasons.append(
                gettext("The same problem: %(concepts)s") % {"concepts": _concept_list(shared, lex)}
            )
        # The bonuses are symmetric: seen from the need's city, the experience's city.
        seeker = Seeker(
            vector={},
            working_languages=need.working_languages or need.city.working_languages or [],
            region_code=need.city.region.code,
            region_name=need.city.region.name,
            size_class=need.city.size_class,
        )
        factors, city_reasons = _city_factors(seeker, city, {})
        reasons += city_reasons
        score = topic * max(1.0 + sum(factors.values()), 0.1)
        ranked.append(NeedSuggestion(need, round(score, 4), reasons))
    ranked.sort(key=lambda s: (-s.score, s.need.pk))
    return ranked[:top]
