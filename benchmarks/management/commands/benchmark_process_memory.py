"""Measures what the models and every type's vectors add to a web process, at the scale
of DESIGN.md, beside the models loaded as their packages ship them, in the same run.

Each measure is a fresh Python process on the configured database (a web worker that
loads nothing else): it loads the models, embeds texts as searches and the worker do
(so that what the models read from mapped files is resident), then holds each type's
vectors. It prints, after each step, the process's own memory (anonymous resident) and
the files it has mapped and read (file-backed resident: the model files, shared by every
process of the machine, one copy in the system's page cache).

With --fill, vectors are first added to the database by copying those already stored
(of experiences, with other ids), until each type has its count of DESIGN.md: 100,000
experiences and needs, 20,000 documents, 40,000 actions, 5,000 meetings. It writes: run
it on a copy of a benchmark database (`benchmark_search`'s, after its run).
"""

import json
import os
import subprocess
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max

from search import embedded, embedding
from search.models import SemanticVector

DESIGN = {
    "experience": 100_000,
    "need": 100_000,
    "document": 20_000,
    "action": 40_000,
    "meeting": 5_000,
}

_MEASURE = """
import json, sys, django
django.setup()
from search import embedding, semantic

def memory():
    found = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("RssAnon", "RssFile"):
                found[name] = int(value.split()[0]) / 1024
    return found

if sys.argv[1] == "packaged":
    # The models as their packages load them: the pure-Python tokenizer, the table of
    # piece embeddings unpacked into the process.
    embedding._sentencepiece = lambda model: model._tokenizer
    embedding._map_embedding_table = lambda backend: None
texts = json.loads(sys.stdin.read())
steps = [("start", memory())]
embedding.current_model()
steps.append(("models loaded", memory()))
embedding.embed(texts, "query")
embedding.embed(texts[:100], "passage")
steps.append(("after embedding", memory()))
for object_type in sys.argv[2:]:
    semantic.vector_set(object_type)
    steps.append((object_type, memory()))
print(json.dumps(steps))
"""


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument(
            "--fill", action="store_true", help="copy vectors up to DESIGN.md's counts first"
        )
        parser.add_argument("--texts", type=int, default=300, help="texts embedded in each")

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def handle(self, *args, fill, texts, **options):
        label = embedding.model_label()
        if fill:
            self.fill(label)
        counts = {
            object_type: SemanticVector.objects.filter(object_type=object_type, model=label).count()
            for object_type in embedded.SEMANTIC_TYPES
        }
        held = [object_type for object_type, count in counts.items() if count]
        if not held:
            raise CommandError(f"no vectors of {label}: run benchmark_search first")
        sample = self.texts(texts)
        self.say(
            f"model {label}; vectors: "
            + ", ".join(f"{counts[object_type]:,} {object_type}" for object_type in held)
            + f"; {len(sample)} texts embedded as queries, 100 as passages"
        )
        results = {mode: self.measure(mode, held, sample) for mode in ("packaged", "platform")}
        self.say(
            "| step | anonymous MB, as packaged | mapped files MB, as packaged "
            "| anonymous MB, as loaded now | mapped files MB, as loaded now |"
        )
        self.say("| --- | --- | --- | --- | --- |")
        for index, (step, before) in enumerate(results["packaged"]):
            now = results["platform"][index][1]
            self.say(
                f"| {step} | {before['RssAnon']:.0f} | {before['RssFile']:.0f} "
                f"| {now['RssAnon']:.0f} | {now['RssFile']:.0f} |"
            )
        for mode, steps in results.items():
            start, models, embedded_, *_rest = (memory for _step, memory in steps)
            last = steps[-1][1]
            self.say(
                f"{mode}: the models add {embedded_['RssAnon'] - start['RssAnon']:.0f} MB of "
                f"the process's own memory (and {embedded_['RssFile'] - start['RssFile']:.0f}"
                f" MB of mapped files read); the models and every vector "
                f"{last['RssAnon'] - start['RssAnon']:.0f} MB of its own, "
                f"{last['RssAnon'] + last['RssFile'] - start['RssAnon'] - start['RssFile']:.0f}"
                " MB resident in all"
            )

    def texts(self, count: int) -> list[str]:
        from search.models import SearchEntry

        found = []
        for titles, summaries in SearchEntry.objects.order_by("pk").values_list(
            "titles", "summaries"
        )[: count * 3]:
            for code, title in (titles or {}).items():
                found.append(f"{title}\n{(summaries or {}).get(code, '')}")
        return found[:count] or [f"text {n}" for n in range(count)]

    def measure(self, mode: str, object_types: list[str], texts: list[str]) -> list:
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "entrevilles.settings"}
        output = subprocess.run(
            [sys.executable, "-c", _MEASURE, mode, *object_types],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
            env=environment,
        ).stdout
        return json.loads(output.strip().splitlines()[-1])

    def fill(self, label: str) -> None:
        source = list(
            SemanticVector.objects.filter(object_type="experience", model=label).values_list(
                "language", "digest", "vector", "updated_at"
            )[:20_000]
        )
        if not source:
            raise CommandError("no experience vectors to copy: run benchmark_search first")
        for object_type, wanted in DESIGN.items():
            rows = SemanticVector.objects.filter(object_type=object_type)
            have = rows.count()
            start = (rows.aggregate(Max("object_id"))["object_id__max"] or 0) + 1
            with transaction.atomic():
                for offset in range(0, max(wanted - have, 0), 5_000):
                    SemanticVector.objects.bulk_create(
                        SemanticVector(
                            object_type=object_type,
                            object_id=start + offset + n,
                            language=language,
                            model=label,
                            digest=digest,
                            vector=vector,
                            sentences=[],
                            updated_at=updated,
                        )
                        for n, (language, digest, vector, updated) in enumerate(
                            source[(offset + k) % len(source)]
                            for k in range(min(5_000, wanted - have - offset))
                        )
                    )
            embedded.vectors_changed(object_type)
            self.say(f"{object_type}: {max(wanted, have):,} vectors")
