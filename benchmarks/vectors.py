"""Vectors for the benchmarks at the scale of DESIGN.md, where embedding 100,000 texts
for real would take hours on two cores.

A sample of the objects' texts is embedded for real (which measures the embedding rate);
every other object gets the vector of a sample text plus a little noise. The cost of a
nearest-neighbour search does not depend on the values, so the timings hold; the quality
is measured elsewhere, on real texts (`benchmark_bridge`).
"""

import random
import time

import numpy as np

from search import embedding, semantic
from search.models import SemanticVector


def fill(object_type: str, texts: dict[int, tuple[str, str]], *, sample: int, seed: int, say):
    """Store a vector for each of `texts` ({id: (language, text)}) that has none.

    Prints the embedding rate measured on the sample."""
    label = embedding.model_label()
    have = set(
        SemanticVector.objects.filter(object_type=object_type, model=label).values_list(
            "object_id", flat=True
        )
    )
    todo = [object_id for object_id in texts if object_id not in have]
    if not todo:
        say(f"  {object_type}: {len(have):,} vectors already stored")
        return
    rng = random.Random(seed)
    chosen = rng.sample(todo, min(sample, len(todo)))
    started, cpu = time.perf_counter(), time.process_time()
    real = embedding.embed([texts[i][1] for i in chosen], "passage")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    say(
        f"  {object_type}: {len(chosen)} texts embedded for real in {elapsed:.1f} s: "
        f"{len(chosen) / elapsed:.1f} texts/s ({cpu:.1f} s of CPU); "
        f"100,000 would take {100_000 / (len(chosen) / elapsed) / 60:.0f} min"
    )
    noise = np.random.default_rng(seed)
    rows = []
    for n, object_id in enumerate(todo):
        vector = real[n % len(real)] + noise.normal(0, 0.01, real.shape[1]).astype(np.float32)
        vector /= np.linalg.norm(vector)
        rows.append(
            SemanticVector(
                object_type=object_type,
                object_id=object_id,
                language=texts[object_id][0],
                model=label,
                digest="benchmark",
                vector=semantic._pack(vector),
            )
        )
        if len(rows) == 5_000:
            SemanticVector.objects.bulk_create(rows)
            rows = []
    SemanticVector.objects.bulk_create(rows)
    semantic.vectors_changed(object_type)
    say(f"  {object_type}: {len(todo):,} vectors stored")


def resident_mb() -> float:
    """This process's resident memory now, in MB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0
