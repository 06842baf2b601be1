"""Step 1: the candidates sharing the need's concepts, and their exact topic scores."""

from django.db.models import Case, F, FloatField, Sum, Value, When

from learning.matching import index

CANDIDATES = 300
COMMON_SHARE = 1 / 3

# Below this many documents, reading every posting is cheap anyway.
COMMON_MIN_TOTAL = 5_000
MAX_QUERY_CONCEPTS = 16


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
