"""Step 2: the candidates ranked for a seeker, a need or an experience, and the peer cities."""

from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from learning.matching import concepts
from learning.models import (
    DismissalReason,
    ExperienceConcept,
    LearningNeed,
    NeedConcept,
    NeedStatus,
    SuggestionDismissal,
)
from library.models import Experience, Status

from .candidates import CANDIDATES, candidate_scores, exact_topics
from .context import (
    FAR_SIZE,
    MENTOR_RECORD,
    OFFERS_TO_HOST,
    PUBLISHED_RECORD,
    SAME_REGION,
    SAME_SIZE,
    SHARED_LANGUAGE,
    SOUTH_SOUTH,
    _city_factors,
    _concept_list,
    _Reasons,
    track_records,
)
from .dismissals import NOT_RELEVANT_FACTOR, _not_relevant_concepts, _penalties, dismissal_profiles
from .results import CitySuggestion, ExperienceSuggestion, NeedSuggestion, Suggestions
from .seeker import Seeker, seeker_for_need

# Peer cities are grouped from this many of the best experiences.
SHOWN_FOR_CITIES = 40
TOPIC_FLOOR = 0.02
# The needs an experience answers are those at least this close in meaning (a z-score
# among the needs of their language; the search's own bar). On the development set of
# the language bridge, every need's best answer and 96 % of its other answers are above
# it, and 13 % of the unrelated pairs.
NEED_MIN_MEANING = 1.0

# How much of the topic the meaning decides (the rest: the glossary's concepts), and the
# standardised similarity counted as a full match (a z-score: how far above the average
# text of its language).
SEMANTIC_SHARE = 0.9
FULL_MEANING = 4.0
SECOND_EXPERIENCE_SHARE = 0.3
# The most a city's track record adds to the bonuses, and more than a score's rounding.
RECORD_BONUS = PUBLISHED_RECORD + MENTOR_RECORD
ROUNDING_MARGIN = 1e-3
# The lowest and highest multiplier of a topic by the bonuses (no set-aside suggestion).
LOWEST_BONUSES = max(1.0 + FAR_SIZE, 0.1)
HIGHEST_BONUSES = (
    1.0
    + SAME_SIZE
    + SHARED_LANGUAGE
    + max(SAME_REGION, SOUTH_SOUTH)
    + PUBLISHED_RECORD
    + MENTOR_RECORD
    + OFFERS_TO_HOST
)


def _meaning_share(score: float) -> float:
    """A standardised similarity brought to 0–1 (FULL_MEANING and above count as 1)."""
    return min(max(score, 0.0) / FULL_MEANING, 1.0)


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
    # Enough to fill the list of experiences and to group the peer cities from.
    size = max(top, SHOWN_FOR_CITIES if cities else top)
    light = _reachable_candidates(
        [pk for pk in ids if topics[pk] >= TOPIC_FLOOR],
        topics,
        bool(profiles),
        size,
        seeker.city_id,
    )
    light = _within_reach(seeker, light, topics, profiles, lex, size)
    records = track_records({experience.city.pk for experience in light})
    scored = [
        (
            _score(seeker, e, topics[e.pk], records[e.city.pk], profiles, [], lex, False)[0],
            e.pk,
        )
        for e in light
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    shown = [pk for _score, pk in scored[:size]]
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


def _reachable_candidates(
    ids: list[int], topics: dict, dismissals: bool, size: int, exclude_city: int | None
) -> list[_Experience]:
    """The candidates (read with `_light_candidates`) whose topic can still put them
    among the `size` best.

    Without set-aside suggestions, a score is between LOWEST_BONUSES and HIGHEST_BONUSES
    times the topic: the best topics are read first, and of the others only those whose
    highest score reaches the `size`-th best lowest one among them.
    """
    ordered = sorted(ids, key=lambda pk: (-topics[pk], pk))
    first = 2 * size
    if dismissals or len(ordered) <= first:
        return _light_candidates(ordered, exclude_city)
    light = _light_candidates(ordered[:first], exclude_city)
    if len(light) < size:
        return light + _light_candidates(ordered[first:], exclude_city)
    threshold = sorted((topics[e.pk] for e in light), reverse=True)[size - 1] * LOWEST_BONUSES
    rest = [
        pk for pk in ordered[first:] if topics[pk] * HIGHEST_BONUSES + ROUNDING_MARGIN >= threshold
    ]
    return light + _light_candidates(rest, exclude_city) if rest else light


def _within_reach(seeker, light, topics, profiles, lex, size: int) -> list[_Experience]:
    """The candidates that can still be among the `size` best once their city's track
    record is known, so that it is read for those only.

    The track record only adds to the bonuses (at most RECORD_BONUS): a candidate's
    score without it is a floor, and the floor plus what the record can add times its
    topic and penalties a ceiling. A candidate whose ceiling is below the `size`-th
    best floor cannot be shown; a margin covers the rounding of scores.
    """
    if len(light) <= size:
        return light
    bounds = []
    for e in light:
        floor, factors, _reasons = _score(seeker, e, topics[e.pk], {}, profiles, [], lex, False)
        reach = topics[e.pk] * factors.get("dismissals", 1.0) * RECORD_BONUS
        bounds.append((floor, floor + reach + ROUNDING_MARGIN, e))
    threshold = sorted((floor for floor, _c, _e in bounds), reverse=True)[size - 1]
    return [e for _floor, ceiling, e in bounds if ceiling >= threshold]


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


def _needs_by_meaning(experience) -> dict[int, float] | None:
    """{need id: standardised similarity} of the needs close in meaning to an experience
    (those in the search, that is published ones), each at least NEED_MIN_MEANING; None
    before the experience or any need has a vector, or without a model (the concepts
    then rank)."""
    from search import embedding, semantic

    try:
        meaning = semantic.stored_vector("experience", experience.pk)
        needs = semantic.vector_set("need")
        if meaning is None or not len(needs.ids):
            return None
        found = semantic.nearest(needs, meaning, CANDIDATES, min_score=NEED_MIN_MEANING)
    except embedding.ModelUnavailable:
        return None
    return {n.object_id: n.score for n in found}


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
    if by_meaning is None:
        # No meaning to compare yet: the needs sharing the experience's concepts.
        candidates = (
            candidate_scores(NeedConcept, "need", vector, "needs", CANDIDATES) if vector else []
        )
        ids = list(dict.fromkeys(pk for pk, _s in candidates))
    else:
        # Only the needs close in meaning: a need that merely shares a word or a region
        # with the experience is not one it answers (and its followers are told of it).
        ids = list(by_meaning)
    if not ids:
        return []
    concept_topics, _shared = exact_topics(NeedConcept, "need", vector, ids)
    topics = {
        pk: _topic(None if by_meaning is None else by_meaning[pk], concept_topics.get(pk, 0.0))
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
        if by_meaning is not None:
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
