"""Vectors for the benchmarks at the scale of DESIGN.md, where embedding 100,000 texts
for real would take hours on two cores.

A sample of the objects' texts is embedded for real (which measures the embedding rate);
every other object gets the vector of a sample text plus a little noise. The cost of a
nearest-neighbour search does not depend on the values, so the timings hold; the quality
is measured elsewhere, on real texts (`benchmark_bridge`).
"""

import json
import os
import random
import subprocess
import sys
import time

import numpy as np

from search import embedded, embedding
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
                vector=embedded._pack(vector),
            )
        )
        if len(rows) == 5_000:
            SemanticVector.objects.bulk_create(rows)
            rows = []
    SemanticVector.objects.bulk_create(rows)
    embedded.vectors_changed(object_type)
    say(f"  {object_type}: {len(todo):,} vectors stored")


def resident_mb() -> float:
    """This process's resident memory now, in MB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# Run in a fresh process: the models, then the vectors of each type, and what each added.
_MEASURE = """
import json, sys, django
django.setup()
from benchmarks.vectors import anonymous_mb
from search import embedding, semantic, embedded
steps = [("start", anonymous_mb())]
embedding.current_model()
steps.append(("models", anonymous_mb()))
for object_type in sys.argv[1:]:
    semantic.vector_set(object_type)
    steps.append((object_type, anonymous_mb()))
print(json.dumps(steps))
"""


def anonymous_mb() -> float:
    """This process's anonymous resident memory (its own, not files mapped), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    return 0.0


def held_in_a_fresh_process(object_types: list[str]) -> dict[str, float]:
    """What the models, then each type's vectors, add to a process that loads nothing
    else ({"models": MB, type: MB, ...}), measured in a new Python process on this
    database (in this one, earlier steps would have loaded them already)."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "entrevilles.settings"}
    output = subprocess.run(
        [sys.executable, "-c", _MEASURE, *object_types],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    ).stdout
    steps = json.loads(output.strip().splitlines()[-1])
    return {name: mb - steps[n - 1][1] for n, (name, mb) in enumerate(steps) if n}
