"""More like this: the published experiences closest in meaning to an experience or a
document, in each of the three languages (see `search.semantic`)."""

import hashlib

from django.core.cache import cache

from search import embedding, semantic

from .models import Experience

PER_LANGUAGE = 2
# Only what is close in meaning (a z-score among the experiences of its language): with
# no case on the subject in a language, that language shows none rather than an
# unrelated one. On the bridge's development set, 78 % of the pairs of cases on one theme
# clear it, and 15 % of the pairs on different themes (at the search's bar of 1.0: 71 %
# and 10 %, which in a small library left out cases on the same subject).
MIN_MEANING = 0.75


def related_experiences(object_type: str, object_id: int, *, limit: int = 6) -> list[Experience]:
    """Up to `limit` published experiences close in meaning to the object (MIN_MEANING),
    the best of each language first so that each language with a close case is
    represented; [] until it has a vector.

    Remembered until the vectors change (a new or edited experience)."""
    try:
        known = semantic.versions()
        if not known["experience"][0] or not known[object_type][0]:
            return []
        vectors = semantic.vector_set("experience", known)
        source = semantic.vector_set(object_type, known)
    except embedding.ModelUnavailable:
        return []
    version = hashlib.blake2b(
        repr((vectors.version, source.version, vectors.label)).encode(), digest_size=8
    ).hexdigest()
    key = f"library:related:{object_type}:{object_id}:{limit}:{version}"
    ids = cache.get(key)
    if ids is None:
        ids = _closest(vectors, source, object_type, object_id, limit)
        cache.set(key, ids, 3600)
    if not ids:
        return []
    found = Experience.objects.published().select_related("city").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _closest(vectors, source, object_type: str, object_id: int, limit: int) -> list[int]:
    position = source.position.get(int(object_id))
    if position is None:
        return []
    itself = object_id if object_type == "experience" else None
    neighbours = semantic.nearest(
        vectors, source.vectors(position), limit * 4, min_score=MIN_MEANING, itself=itself
    )
    # At most PER_LANGUAGE of each language, in order of closeness: each language with a
    # close case appears.
    language_of, where = vectors.languages, vectors.position
    taken: dict[str, int] = {}
    chosen = []
    for neighbour in neighbours:
        code = str(language_of[where[neighbour.object_id]])
        if taken.get(code, 0) < PER_LANGUAGE:
            taken[code] = taken.get(code, 0) + 1
            chosen.append(neighbour.object_id)
        if len(chosen) == limit:
            break
    return chosen
