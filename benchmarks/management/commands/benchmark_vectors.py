"""Measures how a web process keeps the stored vectors of a type in step, on the vectors
of a benchmark database (those of `benchmark_matchmaking` or `benchmark_search`).

Prints, in the same run, each step beside the way it was done before:

- **the change check** every search and match makes: the one-row-per-type change table
  against counting and dating the whole vector table (`GROUP BY` with `COUNT` and `MAX`);
- **after one vector changes**: reading only what changed since against reading every
  vector of the type again;
- **the standardisation** of one comparison's scores within each language: in one pass
  against a mask per language;
- **the vectors held in 8 bits** (int8 with a scale per vector, compared by SimSIMD's
  integer dot products) against a float32 matrix and NumPy's product: memory, time,
  how far the similarities move and how many of the 100 nearest stay the same.

Writes one vector of the type again (its own values): run it on a benchmark database.
"""

import statistics
import time

import numpy as np
from django.core.management.base import BaseCommand
from django.db.models import Count, Max

from search import embedded, embedding, semantic
from search.models import SemanticVector


def _timed(function, repeat: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds of `repeat` calls."""
    times = []
    for _n in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def _counted_and_dated() -> dict:
    """The change check as it was: every vector counted and dated, per type."""
    rows = (
        SemanticVector.objects.order_by()
        .values_list("object_type")
        .annotate(n=Count("id"), last=Max("updated_at"))
    )
    return {object_type: (n, last) for object_type, n, last in rows}


def _standardised_with_masks(vectors, similarities: np.ndarray) -> np.ndarray:
    """The standardisation as it was: a boolean mask of each language over every row."""
    scores = np.empty_like(similarities)
    overall = (similarities.mean(), similarities.std() or 1.0)
    for code in np.unique(vectors.languages):
        rows = vectors.languages == code
        if rows.sum() >= semantic.MIN_PER_LANGUAGE:
            mean, spread = similarities[rows].mean(), similarities[rows].std() or 1.0
        else:
            mean, spread = overall
        scores[rows] = (similarities[rows] - mean) / spread
    return scores


class Command(BaseCommand):
    help = "Measures how the vectors held in memory follow the stored ones."

    def add_arguments(self, parser):
        parser.add_argument(
            "--type", dest="object_type", default="experience", choices=embedded.SEMANTIC_TYPES
        )
        parser.add_argument("--repeat", type=int, default=20)

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def handle(self, *args, object_type, repeat, **options):
        label = embedding.model_label()
        stored = SemanticVector.objects.filter(object_type=object_type, model=label).count()
        if not stored:
            self.say(f"no {object_type} vectors of {label}: run a benchmark that stores them")
            return
        total = SemanticVector.objects.count()
        self.say(f"{stored:,} {object_type} vectors ({total:,} in all), model {label}")

        new = _timed(semantic.versions, repeat)
        old = _timed(_counted_and_dated, repeat)
        self.say(
            f"change check per search or match: {new[0]:.2f} / {new[1]:.2f} ms (p50 / p95)"
            f" against {old[0]:.1f} / {old[1]:.1f} ms counting and dating every vector"
        )

        semantic._sets.pop(object_type, None)
        started = time.perf_counter()
        held = semantic.vector_set(object_type)
        full = (time.perf_counter() - started) * 1000
        rows = SemanticVector.objects.filter(object_type=object_type, model=label)
        partial = []
        for one in (rows.first(), rows.last()):
            one.save(update_fields=["vector", "updated_at"])  # the same values, written again
            embedded.vectors_changed(object_type)
            started = time.perf_counter()
            updated = semantic.vector_set(object_type)
            partial.append((time.perf_counter() - started) * 1000)
        same = (
            np.array_equal(updated.rows[:], held.rows[:])
            and bool((updated.scales == held.scales).all())
            and len(updated.ids) == len(held.ids)
        )
        self.say(
            f"after one vector changed: {partial[0]:,.0f} ms, then after another"
            f" {partial[1]:,.0f} ms, reading what changed (the first time, what was written"
            f" in the minute before the vectors were read, which a bulk load fills) against"
            f" {full:,.0f} ms reading all {len(held.ids):,} again"
            f" (the same vectors in memory: {'yes' if same else 'NO'})"
        )

        vector = updated.vectors(len(updated.ids) // 2)
        similarities = updated.similarities(vector)
        one_pass = _timed(lambda: semantic.standardised(updated, similarities), repeat)
        masks = _timed(lambda: _standardised_with_masks(updated, similarities), repeat)
        difference = float(
            np.abs(
                semantic.standardised(updated, similarities)
                - _standardised_with_masks(updated, similarities)
            ).max()
        )
        self.say(
            f"standardised within each language: {one_pass[0]:.1f} / {one_pass[1]:.1f} ms in"
            f" one pass against {masks[0]:.1f} / {masks[1]:.1f} ms with a mask per language"
            f" (largest difference {difference:.1e})"
        )
        self.held_in_8_bits(updated, object_type, label, repeat)

    def held_in_8_bits(self, held, object_type: str, label: str, repeat: int) -> None:
        """The vectors in 8 bits against the float32 matrix of the stored vectors."""
        dimensions = held.rows.shape[1]
        matrix = np.empty((len(held.ids), dimensions), dtype=np.float32)
        rows = SemanticVector.objects.filter(object_type=object_type, model=label)
        for object_id, packed in rows.values_list("object_id", "vector").iterator(5_000):
            matrix[held.position[object_id]] = embedded.unpack(packed, dimensions)[0]
        rng = np.random.default_rng(1)
        queries = matrix[rng.choice(len(matrix), min(20, len(matrix)), replace=False)]
        queries = queries + rng.normal(0, 0.02, queries.shape).astype(np.float32)
        queries /= np.linalg.norm(queries, axis=1, keepdims=True)
        vector = queries[0]
        quantised = _timed(lambda: held.similarities(vector), repeat)
        full = _timed(lambda: matrix @ vector, repeat)
        moved, kept = [], []
        for query in queries:
            exact, approx = matrix @ query, held.similarities(query)
            moved.append(float(np.abs(exact - approx).max()))
            k = min(100, len(exact))
            best = set(np.argpartition(-exact, k - 1)[:k].tolist())
            kept.append(len(best & set(np.argpartition(-approx, k - 1)[:k].tolist())) / k)
        self.say(
            f"held in 8 bits: {(held.rows.nbytes + held.scales.nbytes) / 2**20:.0f} MB against"
            f" {matrix.nbytes / 2**20:.0f} MB as float32; a vector against all"
            f" {quantised[0]:.1f} / {quantised[1]:.1f} ms (int8, SimSIMD, one thread) against"
            f" {full[0]:.1f} / {full[1]:.1f} ms (float32, NumPy); similarities moved by"
            f" {max(moved):.4f} at most (a cosine), {np.mean(kept):.1%} of the 100 nearest"
            f" the same ({len(queries)} queries)"
        )
