"""One search over everything published: the query, its facets and highlighted hits.

Pages and the API call `run_search`; what a person may see is decided here, in the
query itself, so that hidden items never reach results, counts or facets.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from html import escape

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils.safestring import SafeString, mark_safe

from accounts import permissions as roles

from . import backends, language, query
from .models import EntryVisibility, SearchEntry, SearchFacet

FACETS = ("type", "theme", "sdg", "region", "size_class", "language", "year")
MAX_PER_PAGE = 50
SNIPPET_CHARS = 260


@dataclass
class Hit:
    entry: SearchEntry
    language: str  # the language the title and snippet are shown in
    title: SafeString
    snippet: SafeString
    # The snippet reads in the reader's language when the entry has one in it (the labels
    # of actions and needs are translated even when their titles are not).
    snippet_language: str = ""

    @property
    def type_label(self) -> str:
        from .facets import TYPE_LABELS

        return str(TYPE_LABELS.get(self.entry.object_type, self.entry.object_type))

    @property
    def is_translation(self) -> bool:
        return self.language != self.entry.original_language


@dataclass
class Results:
    text: str
    parsed: query.ParsedQuery
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    # {facet name: [(value, count)]}, most frequent first
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # True when the facets count only the best FACET_SAMPLE matches of a larger total.
    facets_partial: bool = False
    # "on": ranked by words and meaning; "off": words only, asked for; "unavailable": words
    # only, the model could not be loaded (the page says so).
    meaning: str = "off"

    @property
    def facet_sample(self) -> int:
        return FACET_SAMPLE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def visible_entries(user):
    entries = SearchEntry.objects.all()
    if not roles.can_see_members_only_content(user):
        entries = entries.filter(visibility=EntryVisibility.PUBLIC)
    return entries


def _filter(entries, filters: dict[str, str]):
    for name in FACETS:
        value = filters.get(name)
        if value:
            entries = entries.filter(
                Exists(
                    SearchFacet.objects.filter(
                        entry=OuterRef("pk"), name=name, value=str(value)[:60]
                    )
                )
            )
    return entries


def highlight(text: str, stems: set[str], code: str) -> SafeString:
    """`text` escaped, with the words whose stem is searched for in <mark>.

    The standard library's escape: Django's (the same, behind a lazy-string wrapper)
    costs more than the rest of the work, called for every piece of every hit."""
    parts, last = [], 0
    for match in language.WORD.finditer(text):
        word = match.group().casefold()
        if word not in language.STOPWORDS and language.stem(word, code) in stems:
            parts.append(escape(text[last : match.start()]))
            parts.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped


def _snippet(text: str, stems: set[str], code: str) -> str:
    """A window of the text around its first matching word."""
    if len(text) <= SNIPPET_CHARS:
        return text
    for match in language.WORD.finditer(text):
        if language.stem(match.group().casefold(), code) in stems:
            start = max(0, match.start() - SNIPPET_CHARS // 3)
            return ("…" if start else "") + text[start : start + SNIPPET_CHARS] + "…"
    return text[:SNIPPET_CHARS] + "…"


def _hit(entry: SearchEntry, reader_language: str, stems: set[str]) -> Hit:
    code = reader_language if entry.titles.get(reader_language) else entry.original_language
    if not entry.titles.get(code):
        code = next(iter(entry.titles), entry.original_language)
    title = entry.titles.get(code, "")
    shown = reader_language if entry.summaries.get(reader_language) else code
    summary = entry.summaries.get(shown) or entry.summaries.get(entry.original_language, "")
    return Hit(
        entry=entry,
        language=code,
        title=highlight(title, stems, code),
        snippet=highlight(_snippet(summary, stems, shown), stems, shown),
        snippet_language=shown,
    )


# Facets are counted on the best matches, at most this many: beyond, the counts are
# those of the best FACET_SAMPLE results (the page says so) and the total is counted apart.
FACET_SAMPLE = 2_000


def _count_facets(rows) -> dict[str, list[tuple[str, int]]]:
    """{facet name: [(value, count)]}, most frequent first, from entries' facet_keys."""
    counter = Counter("\n".join(keys for _id, keys in rows).split("\n"))
    facets: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for key, n in sorted(counter.items(), key=lambda item: (-item[1], item[0])):
        name, _sep, value = key.partition("=")
        if name in facets:
            facets[name].append((value, n))
    return facets


def _all_facets(entries) -> dict[str, list[tuple[str, int]]]:
    """The facets of every entry of `entries` (the page without a query), remembered
    until the index changes: the counts over the whole index are the same for every
    reader of the same visibility and filters."""
    # Any write replaces rows (a later indexed_at), any removal lowers the count.
    version = SearchEntry.objects.aggregate(n=Count("id"), last=Max("indexed_at"))
    subquery, params = entries.values("id").query.sql_with_params()
    key = "search:facets:" + hashlib.sha256(repr((version, subquery, params)).encode()).hexdigest()
    facets = cache.get(key)
    if facets is None:
        rows = (
            SearchFacet.objects.filter(entry__in=entries.values("id"), name__in=FACETS)
            .values_list("name", "value")
            .annotate(n=Count("id"))
            .order_by("name", "-n", "value")
        )
        facets = {name: [] for name in FACETS}
        for name, value, n in rows:
            facets[name].append((value, n))
        cache.set(key, facets, 600)
    return facets


# Meaning: the closest items of each type, if they stand at least SEMANTIC_MIN_SCORE
# standard deviations above the average text of their language (below, the neighbours
# of a query that means nothing in particular would be noise).
SEMANTIC_CANDIDATES = 100
SEMANTIC_MIN_SCORE = 1.0
# A short query says little: it is moved towards the FEEDBACK best texts it finds (their
# mean vector weighs FEEDBACK_SHARE), which carry the words of every language for it.
FEEDBACK = 3
FEEDBACK_SHARE = 0.5
# Reciprocal-rank fusion: an item's score is the sum over the rankings of
# weight / (RRF_K + its rank); a large K lets agreement count more than the top. Three
# rankings: the items holding every word of the query, those closest in meaning, and,
# weighing less, those holding only some of the words (the query ranks, never filters).
RRF_K = 60
SOME_WORDS_WEIGHT = 0.1


def query_vector(text: str):
    """The embedding of a query (remembered for ten minutes), None without a model."""
    from . import embedding

    text = text[: query.MAX_QUERY_CHARS]
    key = "search:meaning:" + embedding.model_key() + ":" + embedding.text_digest(text)
    vector = cache.get(key)
    if vector is None:
        vector = embedding.embed([text], "query")[0]
        cache.set(key, vector, 600)
    return vector


def _semantic_rows(text: str, visibilities, chosen: dict[str, str]) -> list[tuple[int, str]]:
    """(entry id, facet_keys) of the entries closest in meaning to the query, best
    first, among those the reader may see with the facets chosen."""
    from . import embedded, semantic

    types = [chosen["type"]] if "type" in chosen else list(embedded.SEMANTIC_TYPES)
    types = [t for t in types if t in embedded.SEMANTIC_TYPES]
    if not types:
        return []
    known = semantic.versions()
    sets = {t: semantic.vector_set(t, known) for t in types if known[t][0]}
    if not sets:
        return []  # nothing embedded yet: the words alone rank
    vector = query_vector(text)
    found = []
    for object_type, vectors in sets.items():
        moved = semantic.compare_with_feedback(vectors, vector, FEEDBACK, FEEDBACK_SHARE)
        for neighbour in moved.nearest(SEMANTIC_CANDIDATES, min_score=SEMANTIC_MIN_SCORE):
            found.append((neighbour.score, object_type, neighbour.object_id))
    if not found:
        return []
    condition = Q()
    for object_type in types:
        ids = [object_id for _s, t, object_id in found if t == object_type]
        if ids:
            condition |= Q(object_type=object_type, object_id__in=ids)
    entries = _filter(SearchEntry.objects.filter(condition), chosen)
    # What the reader may see is checked on the rows read, not in the statement: with
    # it, SQLite walks every public entry by the visibility index (80 ms of CPU at
    # 120,000 entries) instead of looking up these few by type and id (2 ms).
    allowed = None if visibilities is None else {str(v) for v in visibilities}
    rows = {
        (object_type, object_id): (entry_id, keys)
        for entry_id, object_type, object_id, keys, visibility in entries.values_list(
            "id", "object_type", "object_id", "facet_keys", "visibility"
        )
        if allowed is None or visibility in allowed
    }
    found.sort(key=lambda item: -item[0])
    return [rows[(t, i)] for _s, t, i in found if (t, i) in rows]


def fused(*rankings: tuple[list[tuple[int, str]], float]) -> list[tuple[int, str]]:
    """Weighted rankings of (entry id, facet_keys) as one (reciprocal-rank fusion)."""
    scores: dict[int, float] = {}
    keys: dict[int, str] = {}
    for ranking, weight in rankings:
        for rank, (entry_id, facet_keys) in enumerate(ranking):
            scores[entry_id] = scores.get(entry_id, 0.0) + weight / (RRF_K + rank + 1)
            keys[entry_id] = facet_keys
    order = sorted(scores, key=lambda entry_id: (-scores[entry_id], -entry_id))
    return [(entry_id, keys[entry_id]) for entry_id in order]


def run_search(
    user,
    text: str,
    *,
    filters: dict[str, str] | None = None,
    page: int = 1,
    per_page: int = 20,
    reader_language: str = "en",
    semantic: bool = True,
) -> Results:
    """Published items matching `text` (any of the three languages) and the facets.

    With a query, two rankings are fused: the words (those matching every word of the
    query first, then those matching some), and the meaning (sentence embeddings, any
    language), so that a query of several words ranks rather than filters, and finds
    what answers it in a language it does not share a word with.
    """
    from . import embedding

    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    parsed = query.parse(text, query.vocabulary())
    backend = backends.current()
    chosen = {
        name: str(value)[:60] for name, value in (filters or {}).items() if name in FACETS and value
    }
    offset = (page - 1) * per_page
    facets_partial = False
    meaning = "off"
    if parsed:
        # What the person may see, and the facets chosen, restrict the matches themselves.
        restriction = {
            "visibilities": (
                None if roles.can_see_members_only_content(user) else [EntryVisibility.PUBLIC]
            ),
            "filters": chosen,
        }
        # One statement: the best matches with their facets; the page is cut from them.
        any_word = len(parsed.groups) > 1
        every_word = backend.ranked_rows(parsed, FACET_SAMPLE, **restriction)
        some_words = []
        if any_word and len(every_word) < FACET_SAMPLE:
            found = {row[0] for row in every_word}
            some_words = [
                row
                for row in backend.ranked_rows(parsed, FACET_SAMPLE, any_word=True, **restriction)
                if row[0] not in found
            ][: FACET_SAMPLE - len(every_word)]
        rows = every_word + some_words
        lexical_total = len(rows)
        if semantic:
            try:
                by_meaning = _semantic_rows(text, restriction["visibilities"], chosen)
                meaning = "on"
            except embedding.ModelUnavailable:
                by_meaning, meaning = [], "unavailable"
            if by_meaning:
                rows = fused((every_word, 1.0), (by_meaning, 1.0), (some_words, SOME_WORDS_WEIGHT))[
                    :FACET_SAMPLE
                ]
        total = len(rows)
        if lexical_total == FACET_SAMPLE:
            total = max(total, backend.count(parsed, any_word=any_word, **restriction))
            facets_partial = total > FACET_SAMPLE
        if offset + per_page <= len(rows) or not facets_partial:
            ids = [row[0] for row in rows[offset : offset + per_page]]
        else:
            ids = [
                row[0]
                for row in backend.ranked_rows(
                    parsed, per_page, offset=offset, any_word=any_word, **restriction
                )
            ]
        by_id = SearchEntry.objects.in_bulk(ids)
        entries = [by_id[i] for i in ids if i in by_id]
        facets = _count_facets(rows)
    else:
        base = _filter(visible_entries(user), chosen)
        entries = list(base.order_by("-date", "-id")[offset : offset + per_page])
        facets = _all_facets(base)
        total = sum(n for _value, n in facets["type"])
    stems = parsed.all_stems()
    return Results(
        text=text,
        parsed=parsed,
        hits=[_hit(entry, reader_language, stems) for entry in entries],
        total=total,
        page=page,
        per_page=per_page,
        facets=facets,
        facets_partial=facets_partial,
        meaning=meaning,
    )
