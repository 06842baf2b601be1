"""The semantic layer: vectors of searchable objects, kept in step with their entries, and
their nearest neighbours.

- Writing an entry (`services.write_entries`) asks for its vector once the transaction
  commits: the background worker embeds the entry's text (`embed_objects`), never a web
  request. A text already embedded by the same model is not embedded again.
- `nearest()` compares a vector with every stored vector of a type (an exact top-k) held
  in memory per process and reloaded when the table changes. Each vector is held in
  8 bits per value with its own scale (`quantised`): 100,000 × 896 values take 90 MB
  instead of 358 MB as float32, and SimSIMD's integer dot products compare a vector
  with all of them in ~20 ms on one core, faster than NumPy's float32 product, without
  a float32 copy of the matrix. The scores move by less than 0.002 (a cosine), well
  below what separates two texts.
- Multilingual models give higher similarities to texts in the reader's own language.
  Scores are therefore standardised within each language (how far above the average
  text of that language an item stands), so that the Spanish case that answers a French
  query is not pushed out by weaker French ones.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import numpy as np
import simsimd
from django.db import connection

from . import embedding
from .embedded import SEMANTIC_TYPES, quantised, unpack
from .models import SemanticVector, SemanticVectorChanges

# Below this many vectors in a language, its scores are standardised with those of all
# languages (too few to say what is average there).
MIN_PER_LANGUAGE = 20
# With several models side by side, an item's score is this share of its standardised
# similarity over all of them (the mean of their cosines) and the rest the mean of each
# model's standardised similarity. Measured on the development set (`benchmark_bridge`):
# the whole alone lets the model whose cosines spread wider decide more; each model on
# its own finds more of the relevant items but puts the best answer first less often.
WHOLE_SHARE = 0.5


# --- nearest neighbours -------------------------------------------------------------------


class Positions(Mapping[int, int]):
    """{object id: row} over an array of ids: the ids sorted once, then looked up by
    bisection (1.6 MB for 100,000 ids, where a dict of them takes 11 MB)."""

    def __init__(self, ids: np.ndarray) -> None:
        self._order = np.argsort(ids, kind="stable")
        self._sorted = ids[self._order]

    def __getitem__(self, object_id: int) -> int:
        at = int(np.searchsorted(self._sorted, object_id))
        if at == len(self._sorted) or self._sorted[at] != object_id:
            raise KeyError(object_id)
        return int(self._order[at])

    def __iter__(self) -> Iterator[int]:
        return iter(self._sorted.tolist())

    def rows_of(self, object_ids: np.ndarray) -> np.ndarray:
        """The row of each id at once, −1 for the ids not held."""
        at = np.minimum(np.searchsorted(self._sorted, object_ids), max(len(self._sorted) - 1, 0))
        if not len(self._sorted):
            return np.full(len(object_ids), -1, dtype=np.int64)
        return np.where(self._sorted[at] == object_ids, self._order[at], -1)

    def __len__(self) -> int:
        return len(self._sorted)


class Columns:
    """The 8-bit rows of a vector set, held as one contiguous block of columns per model
    (all of them in one block for a single model).

    With several models side by side, each model's similarities are needed on their own
    (`compare`): SimSIMD then reads each block once, where comparing a query whose other
    models' columns are zeros with the whole rows read every column once per model."""

    def __init__(self, blocks: list[np.ndarray]) -> None:
        self.blocks = blocks

    @classmethod
    def empty(cls, count: int, widths: list[int]) -> Columns:
        return cls([np.empty((count, width), dtype=np.int8) for width in widths])

    @property
    def shape(self) -> tuple[int, int]:
        return len(self), sum(block.shape[1] for block in self.blocks)

    @property
    def nbytes(self) -> int:
        return sum(block.nbytes for block in self.blocks)

    def __len__(self) -> int:
        return len(self.blocks[0])

    def _spans(self) -> Iterator[tuple[np.ndarray, slice]]:
        start = 0
        for block in self.blocks:
            yield block, slice(start, start + block.shape[1])
            start += block.shape[1]

    def __getitem__(self, positions) -> np.ndarray:
        """Whole rows (a position, a list, a mask or a slice), as one array."""
        return np.concatenate([block[positions] for block in self.blocks], axis=-1)

    def __setitem__(self, positions, rows: np.ndarray) -> None:
        for block, columns in self._spans():
            block[positions] = rows[..., columns]

    def head(self, count: int) -> Columns:
        return Columns([block[:count] for block in self.blocks])

    def taken(self, order: np.ndarray) -> Columns:
        """The rows in this order (a block copied at a time)."""
        return Columns([block[order] for block in self.blocks])

    def extended(self, rows: np.ndarray) -> Columns:
        """These rows (whole) after the ones held, in new arrays."""
        return Columns(
            [np.concatenate([block, rows[:, columns]]) for block, columns in self._spans()]
        )

    def products(self, vector: np.ndarray) -> list[tuple[slice, np.ndarray]]:
        """(columns, similarities) of each block: the dot product of those columns of
        `vector` (float32) with the same columns of every row, times the rows' scales
        still to apply. Each block of the query is quantised on its own."""
        found = []
        for block, columns in self._spans():
            query, scale = quantised(vector[columns].reshape(1, -1))
            # One thread: web processes and workers already run one per core.
            products = np.asarray(simsimd.cdist(query, block, metric="dot", threads=1))[0]
            found.append((columns, products * scale[0]))
        return found


@dataclass
class VectorSet:
    """Every vector of one type, in memory: ids, languages and the vectors in 8 bits
    (vector n is `rows[n] × scales[n]`, see `quantised()`; `rows` is a `Columns`).

    `codes` numbers the languages (`language_names[code]`), for standardising the
    scores of each language in one pass; `loaded_until` is the latest change read."""

    version: tuple
    label: str
    ids: np.ndarray
    languages: np.ndarray
    rows: Columns
    scales: np.ndarray
    position: Positions
    codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    language_names: tuple[str, ...] = ()
    loaded_until: datetime | None = None
    # Rows in order of language: those of language n are bounds[n]:bounds[n + 1].
    bounds: np.ndarray | None = None

    def vectors(self, positions) -> np.ndarray:
        """The float32 vectors at these positions (a position, a list or a slice)."""
        rows, scales = self.rows[positions].astype(np.float32), self.scales[positions]
        return rows * (scales[:, None] if rows.ndim == 2 else scales)

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        """The dot product of `vector` with every vector held (float32, in order)."""
        return self.part_similarities(vector, [slice(None)])[0]

    def part_similarities(self, vector: np.ndarray, parts: list[slice]) -> np.ndarray:
        """One row per part (a slice of the columns): the dot product of that part of
        `vector` with the same part of every vector held."""
        count, dimensions = self.rows.shape
        found = np.zeros((len(parts), count), dtype=np.float32)
        if not count:
            return found
        vector = np.asarray(vector, dtype=np.float32).reshape(-1)
        by_block = self.rows.products(vector)
        for n, part in enumerate(parts):
            start, stop, _step = part.indices(dimensions)
            for block, (columns, products) in zip(self.rows.blocks, by_block, strict=True):
                if start <= columns.start and columns.stop <= stop:
                    found[n] += products
                elif columns.start < stop and start < columns.stop:
                    # A part that cuts a model's block: those columns copied and compared.
                    inside = slice(max(start, columns.start), min(stop, columns.stop))
                    local = slice(inside.start - columns.start, inside.stop - columns.start)
                    cut = Columns([np.ascontiguousarray(block[:, local])])
                    found[n] += cut.products(vector[inside])[0][1]
        found *= self.scales[None, :]
        return found


_sets: dict[str, VectorSet] = {}
REREAD = timedelta(minutes=1)
_sets_lock = threading.Lock()


def versions() -> dict[str, tuple]:
    """What identifies the stored vectors of each type, (changes, epoch, database), in
    one small query for all types: a type's vectors are read again when it moves."""
    database = connection.settings_dict.get("NAME")
    found = {
        object_type: (changes, epoch, database)
        for object_type, changes, epoch in SemanticVectorChanges.objects.values_list(
            "object_type", "changes", "epoch"
        )
    }
    return {t: found.get(t, (0, "", database)) for t in {*SEMANTIC_TYPES, *found}}


def _empty(version: tuple, label: str = "") -> VectorSet:
    return VectorSet(
        version,
        label,
        np.zeros(0, dtype=np.int64),
        np.array([]),
        Columns([np.zeros((0, 1), dtype=np.int8)]),
        np.zeros(0, dtype=np.float32),
        Positions(np.zeros(0, dtype=np.int64)),
    )


def _built(version, label, ids, languages, rows, scales, loaded_until) -> VectorSet:
    """The set of these arrays, its rows put in order of language (the scores are
    standardised within each language, on contiguous slices: `standardised`)."""
    names, codes = np.unique(languages, return_inverse=True)
    codes = codes.astype(np.intp).reshape(-1)
    if len(codes) and (np.diff(codes) < 0).any():
        order = np.argsort(codes, kind="stable")
        ids, languages, scales, codes = ids[order], languages[order], scales[order], codes[order]
        rows = rows.taken(order)
    return VectorSet(
        version,
        label,
        ids,
        languages,
        rows,
        scales,
        Positions(ids),
        codes,
        tuple(str(name) for name in names),
        loaded_until,
        np.searchsorted(codes, np.arange(len(names) + 1)),
    )


# Vectors read, unpacked and quantised this many at a time, into arrays of the final size:
# no float32 copy of them all, and few large temporaries left in the process's heap.
READ_CHUNK = 1_000


class _Held:
    """The arrays a read fills, chunk by chunk (grown if rows arrive meanwhile)."""

    def __init__(self, capacity: int, dimensions: int) -> None:
        self.count = 0
        self.dimensions = dimensions
        self.ids = np.empty(capacity, dtype=np.int64)
        self.languages = np.empty(capacity, dtype="<U2")
        widths = [len(range(dimensions)[part]) for part in embedding.parts(dimensions)]
        self.rows = Columns.empty(capacity, widths)
        self.scales = np.empty(capacity, dtype=np.float32)

    def add(self, ids: list[int], languages: list[str], packed: list[bytes]) -> None:
        start, end = self.count, self.count + len(ids)
        if end > len(self.ids):
            extra = end - len(self.ids)
            self.ids = np.concatenate([self.ids, np.empty(extra, dtype=np.int64)])
            self.languages = np.concatenate([self.languages, np.empty(extra, dtype="<U2")])
            self.rows = self.rows.extended(np.empty((extra, self.dimensions), dtype=np.int8))
            self.scales = np.concatenate([self.scales, np.empty(extra, dtype=np.float32)])
        self.ids[start:end] = ids
        self.languages[start:end] = languages
        self.rows[start:end], self.scales[start:end] = quantised(
            unpack(b"".join(packed), self.dimensions)
        )
        self.count = end


def _give_back_memory() -> None:
    """After reading every vector: the pages of SQLite's cache it filled, and the heap the
    read's temporaries left free, returned to the system (~65 MB a process keeps
    otherwise; C's allocator does not give back on its own what sits below live data)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA shrink_memory")
    with contextlib.suppress(OSError, AttributeError):  # not glibc: it manages on its own
        ctypes.CDLL(None).malloc_trim(0)


def _read(object_type: str, label: str, dimensions: int, since: datetime | None = None):
    """(ids, languages, int8 rows, scales, latest change) of the stored vectors, or of
    those written since `since` (that moment included)."""
    query = SemanticVector.objects.filter(object_type=object_type, model=label)
    if since is not None:
        query = query.filter(updated_at__gte=since)
    held = _Held(query.count(), dimensions)
    latest = since
    ids: list[int] = []
    languages: list[str] = []
    packed: list[bytes] = []
    rows = query.order_by("object_id").values_list("object_id", "language", "vector", "updated_at")
    for object_id, language, vector, updated_at in rows.iterator(chunk_size=READ_CHUNK):
        ids.append(object_id)
        languages.append(language)
        packed.append(bytes(vector))
        latest = updated_at if latest is None else max(latest, updated_at)
        if len(packed) == READ_CHUNK:
            held.add(ids, languages, packed)
            ids, languages, packed = [], [], []
    if packed:
        held.add(ids, languages, packed)
    n = held.count
    return held.ids[:n], held.languages[:n], held.rows.head(n), held.scales[:n], latest


def _updated(cached: VectorSet, object_type: str, version: tuple, dimensions: int):
    """The cached set with the vectors written since it was read, or None when that is
    not enough (vectors were deleted): a few rows read instead of the whole table."""
    # A row's time is taken before its transaction commits: the last minute is read
    # again, so that a slower writer's row is not missed.
    ids, languages, rows, scales, latest = _read(
        object_type, cached.label, dimensions, cached.loaded_until - REREAD
    )
    rows = rows[:]  # the few rows read, whole
    latest = max(latest, cached.loaded_until)
    known = np.array([cached.position.get(int(i), -1) for i in ids], dtype=np.int64)
    new = known < 0
    count = len(cached.ids) + int(new.sum())
    stored = SemanticVector.objects.filter(object_type=object_type, model=cached.label).count()
    if count != stored:
        return None
    replaced = known[~new]
    if not new.any():
        # Vectors written again: in place, the positions and ids as they were.
        cached.rows[replaced] = rows
        cached.scales[replaced] = scales
        if (cached.languages[replaced] == languages).all():
            return replace(cached, version=version, loaded_until=latest)
        cached.languages[replaced] = languages
        return _built(
            version,
            cached.label,
            cached.ids,
            cached.languages,
            cached.rows,
            cached.scales,
            latest,
        )
    all_ids = np.concatenate([cached.ids, ids[new]])
    all_languages = np.concatenate([cached.languages, languages[new]])
    all_rows = cached.rows.extended(rows[new])
    all_scales = np.concatenate([cached.scales, scales[new]])
    all_rows[replaced] = rows[~new]
    all_scales[replaced] = scales[~new]
    all_languages[replaced] = languages[~new]
    return _built(version, cached.label, all_ids, all_languages, all_rows, all_scales, latest)


def vector_set(object_type: str, known_versions: dict[str, tuple] | None = None) -> VectorSet:
    """The vectors of a type, brought up to date when the table changed (one small
    query, none when `known_versions` is given; then only what changed is read)."""
    version = (known_versions or versions())[object_type]
    cached = _sets.get(object_type)
    if version[0] == 0:
        # Nothing stored: no model needs loading to say so.
        return _empty(version)
    label = embedding.model_label()
    if cached is not None and cached.version == version and cached.label == label:
        return cached
    with _sets_lock:
        cached = _sets.get(object_type)
        if cached is not None and cached.version == version and cached.label == label:
            return cached
        dimensions = embedding.current_model().dimensions
        built = None
        if (
            cached is not None
            and cached.label == label
            and cached.version[1:] == version[1:]
            and cached.version[0] < version[0]
            and cached.loaded_until is not None
        ):
            built = _updated(cached, object_type, version, dimensions)
        if built is None:
            built = _built(version, label, *_read(object_type, label, dimensions))
            _give_back_memory()
        _sets[object_type] = built
        return built


def standardised(vectors: VectorSet, similarities: np.ndarray) -> np.ndarray:
    """Each similarity as a z-score among the texts of its own language (those of all
    languages where a language has fewer than MIN_PER_LANGUAGE texts)."""
    if not len(similarities):
        return similarities.copy()
    if vectors.bounds is None:
        return _standardised_by_codes(vectors, similarities)
    values = np.asarray(similarities, dtype=np.float32)
    spans = [slice(int(a), int(b)) for a, b in itertools.pairwise(vectors.bounds)]
    counts = np.array([span.stop - span.start for span in spans], dtype=np.float64)
    means = np.array(
        [
            values[span].mean(dtype=np.float64) if n else 0.0
            for span, n in zip(spans, counts, strict=True)
        ]
    )
    variances = np.array(
        [
            values[span].var(dtype=np.float64) if n else 0.0
            for span, n in zip(spans, counts, strict=True)
        ]
    )
    overall_mean = (counts * means).sum() / counts.sum()
    overall_square = (counts * (variances + means**2)).sum() / counts.sum()
    spreads = np.sqrt(variances)
    few = counts < MIN_PER_LANGUAGE
    means[few] = overall_mean
    spreads[few] = np.sqrt(max(overall_square - overall_mean**2, 0.0))
    spreads[spreads <= 1e-12] = 1.0
    found = np.empty_like(values)
    for span, mean, spread in zip(spans, means, spreads, strict=True):
        np.subtract(values[span], np.float32(mean), out=found[span])
        found[span] *= np.float32(1 / spread)
    return found


def _standardised_by_codes(vectors: VectorSet, similarities: np.ndarray) -> np.ndarray:
    """`standardised` for rows in any order of language."""
    values = similarities.astype(np.float64)
    codes = vectors.codes
    languages = len(vectors.language_names)
    counts = np.bincount(codes, minlength=languages)
    sums = np.bincount(codes, weights=values, minlength=languages)
    squares = np.bincount(codes, weights=values * values, minlength=languages)
    overall_mean = sums.sum() / counts.sum()
    overall_spread = np.sqrt(max(squares.sum() / counts.sum() - overall_mean**2, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        means = sums / counts
        spreads = np.sqrt(np.maximum(squares / counts - means**2, 0.0))
    few = counts < MIN_PER_LANGUAGE
    means[few] = overall_mean
    spreads[few] = overall_spread
    spreads[spreads <= 1e-12] = 1.0
    return ((values - means[codes]) / spreads[codes]).astype(np.float32)


@dataclass
class Neighbour:
    object_id: int
    score: float  # standardised within its language
    similarity: float  # the cosine


def _set(vectors: str | VectorSet) -> VectorSet:
    return vector_set(vectors) if isinstance(vectors, str) else vectors


@dataclass
class Comparison:
    """One vector compared with every vector of a type: the matrix product and the
    standardisation done once, read as the best ones or for given ids."""

    vectors: VectorSet
    similarities: np.ndarray
    scores: np.ndarray
    by_part: np.ndarray  # the similarities with each model's columns, one row per model

    def nearest(
        self, k: int, *, min_score: float | None = None, exclude: Iterable[int] = ()
    ) -> list[Neighbour]:
        """The `k` closest, best first."""
        if not len(self.scores):
            return []
        scores = self.scores.copy()
        for object_id in exclude:
            position = self.vectors.position.get(int(object_id))
            if position is not None:
                scores[position] = -np.inf
        if min_score is not None:
            # In a small set no item can stand far above the average (with n items, at
            # most √(n − 1) standard deviations): the bar is lowered to what it allows.
            min_score = min(min_score, 0.6 * np.sqrt(max(len(scores) - 1, 1)))
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [
            Neighbour(int(self.vectors.ids[n]), float(scores[n]), float(self.similarities[n]))
            for n in best
            if np.isfinite(scores[n]) and (min_score is None or scores[n] >= min_score)
        ]

    def of(self, object_ids: Iterable[int]) -> dict[int, float]:
        """The standardised scores of these objects (those that have a vector)."""
        ids = np.fromiter((int(i) for i in object_ids), dtype=np.int64)
        rows = self.vectors.position.rows_of(ids)
        held = rows >= 0
        return dict(zip(ids[held].tolist(), self.scores[rows[held]].tolist(), strict=True))


def compare(
    vectors: str | VectorSet, vector: np.ndarray, *, itself: int | None = None
) -> Comparison:
    """`vector` against every vector of a type (its name, or its vectors).

    With several models side by side, each model's similarities are also standardised
    on their own (see WHOLE_SHARE): a model whose cosines spread wider, or lean more
    towards the reader's language, does not outweigh the other.

    `itself`: the id of the object whose vector this is, when it is one of `vectors`. Its
    similarity with itself (1) is left out of its language's average and spread, which
    in a small set would make every other object look far."""
    vectors = _set(vectors)
    if not len(vectors.ids):
        return _scored(vectors, np.zeros((1, 0), np.float32))
    parts = embedding.parts(len(np.asarray(vector).reshape(-1)))
    by_part = vectors.part_similarities(vector, parts)
    position = None if itself is None else vectors.position.get(int(itself))
    if position is not None:
        same = np.flatnonzero(vectors.codes == vectors.codes[position])
        others = same[same != position]
        if len(others):
            # The language's average in its place: the average stays, the spread nearly.
            by_part[:, position] = by_part[:, others].mean(axis=1)
    return _scored(vectors, by_part)


def _scored(vectors: VectorSet, by_part: np.ndarray) -> Comparison:
    """The comparison of a vector whose similarities with each model's columns (one row
    per model) are `by_part`."""
    similarities = by_part.sum(axis=0)
    if len(by_part) == 1:
        return Comparison(vectors, similarities, standardised(vectors, similarities), by_part)
    scores = np.mean([standardised(vectors, row) for row in by_part], axis=0)
    if WHOLE_SHARE:
        scores = WHOLE_SHARE * standardised(vectors, similarities) + (1 - WHOLE_SHARE) * scores
    return Comparison(vectors, similarities, scores.astype(np.float32), by_part)


def nearest(
    vectors: str | VectorSet,
    vector: np.ndarray,
    k: int,
    *,
    min_score: float | None = None,
    exclude: Iterable[int] = (),
    itself: int | None = None,
) -> list[Neighbour]:
    """The `k` objects of a type (its name, or its vectors) closest in meaning to
    `vector`, best first (`itself`: see `compare`; it is never among them)."""
    if itself is not None:
        exclude = [*exclude, itself]
    return compare(vectors, vector, itself=itself).nearest(k, min_score=min_score, exclude=exclude)


def compare_with_feedback(
    vectors: str | VectorSet, vector: np.ndarray, count: int, share: float
) -> Comparison:
    """`vector` moved towards the mean of the `count` texts closest to it (pseudo-
    relevance feedback: a short query takes on the vocabulary of what it finds), then
    compared with every vector of the type.

    A dot product is linear: the moved vector's similarities are those of the vector,
    already computed to find its closest texts, and of their mean, mixed the same way,
    so only the mean is compared with every vector again. The moved vector is a unit
    vector: its cosines are divided by its length."""
    vectors = _set(vectors)
    first = compare(vectors, vector)
    found = first.nearest(count)
    if not found:
        return first
    vector = np.asarray(vector, dtype=np.float32).reshape(-1)
    mean = vectors.vectors([vectors.position[n.object_id] for n in found]).mean(axis=0)
    moved = (1 - share) * vector + share * mean
    parts = embedding.parts(len(vector))
    by_part = (1 - share) * first.by_part + share * vectors.part_similarities(mean, parts)
    return _scored(vectors, by_part / (np.linalg.norm(moved) or 1.0))


def stored_vector(object_type: str, object_id: int) -> np.ndarray | None:
    """The vector of one object, from memory (None if it has none yet)."""
    vectors = vector_set(object_type)
    position = vectors.position.get(int(object_id))
    return None if position is None else vectors.vectors(position)


def closest_sentences(object_type: str, vectors_by_id: dict[int, np.ndarray]) -> dict[int, str]:
    """`closest_sentence` for several objects in one query."""
    if not vectors_by_id:
        return {}
    try:
        label = embedding.model_label()
        quoting, columns = embedding.quoting()
    except embedding.ModelUnavailable:
        return {}
    found = {}
    rows = SemanticVector.objects.filter(
        object_type=object_type, object_id__in=list(vectors_by_id), model=label
    ).values_list("object_id", "sentences", "sentence_vectors")
    for object_id, sentences, packed in rows:
        if not sentences or packed is None:
            continue
        # Sentences embedded by the quoting model, or (written before it quoted alone)
        # by all the models side by side: the stored size says which.
        vector = np.asarray(vectors_by_id[object_id], dtype=np.float32)
        if len(packed) == len(sentences) * quoting.dimensions * 2:
            matrix, vector = unpack(packed, quoting.dimensions), vector[columns]
        elif len(packed) == len(sentences) * len(vector) * 2:
            matrix = unpack(packed, len(vector))
        else:
            continue
        found[object_id] = sentences[int(np.argmax(matrix @ vector))]
    return found
