"""The language bridge measured on labelled trilingual data, beside its baselines.

Imports a development set (experiences, needs with graded labels, short search queries;
the format of `devsets/learning/`, see its README) through the command-line contract
(`import_experiences`, then `match_need` for each need), runs each query through the
search, and prints, for the engine and in the same run for the baselines:

- needs: recall@10, MRR, nDCG@10, recall@5 and grade-2 hit@1;
- queries: cross-language recall@10 and how many return no experience.

The headline figures follow the set's protocol: only the experiences written in another
language than the request are judged, so the others are removed before the list is
cut. The "mixed" lines keep them in place (a lower bound: they take places in the top 10).

Baselines: keyword search in the request's language only (tf-idf over stems); the
glossary engine alone (the concepts, no sentence embeddings); the embedding model alone
(raw cosine over every experience). Run it on a database of its own:

    DATABASE_URL=sqlite:///var/bridge.sqlite3 manage.py migrate
    DATABASE_URL=sqlite:///var/bridge.sqlite3 manage.py benchmark_bridge --devset PATH
"""

import io
import json
import math
import random
import resource
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from benchmarks.management.commands.benchmark_matchmaking import KeywordBaseline
from learning.matching import engine
from library.models import Experience
from network.models import Country
from search import embedding, searching, semantic

DEFAULT_DEVSET = Path(settings.BASE_DIR).parent / "shared" / "devsets" / "learning"


def read_lines(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def need_scores(ranking: list[str], need: dict, language_of: dict[str, str], mixed: bool):
    """recall@10, reciprocal rank (any grade), nDCG@10, recall@5, grade-2 hit@1."""
    if not mixed:
        ranking = [ref for ref in ranking if language_of.get(ref) != need["language"]]
    graded = need["graded"]
    top = ranking[:10]
    recall = len(set(top) & set(graded)) / len(graded)
    recall5 = len(set(ranking[:5]) & set(graded)) / len(graded)
    rr = next((1 / (i + 1) for i, ref in enumerate(ranking) if ref in graded), 0.0)
    dcg = sum(graded.get(ref, 0) / math.log2(i + 2) for i, ref in enumerate(top))
    ideal = sorted(graded.values(), reverse=True)[:10]
    idcg = sum(grade / math.log2(i + 2) for i, grade in enumerate(ideal))
    hit = float(bool(ranking) and graded.get(ranking[0]) == 2)
    return recall, rr, dcg / idcg, recall5, hit


def query_recall(ranking: list[str], query: dict, language_of: dict[str, str], mixed: bool):
    if not mixed:
        ranking = [ref for ref in ranking if language_of.get(ref) != query["language"]]
    relevant = set(query["relevant"])
    return len(set(ranking[:10]) & relevant) / min(10, len(relevant))


def model_parts() -> list[tuple[str, slice]]:
    """The embedding baselines: each model of the configured one on its own (its columns
    of the stored vectors; cosine ranking, no language correction), and all together."""
    model = embedding.current_model()
    parts, start = [], 0
    for part in getattr(model, "models", ()):
        parts.append((part.name, slice(start, start + part.dimensions)))
        start += part.dimensions
    return [*parts, (f"{model.name} (raw cosine)", slice(0, model.dimensions))]


def by_direction(rankings, requests, language_of, labels) -> dict[tuple[str, str], list]:
    """{(request's language, answers' language): [(recall@10, reciprocal rank), ...]}: each
    request's ranking cut to the experiences of one other language, judged on the labelled
    answers written in it (a direction with no answer for a request is skipped)."""
    found: dict[tuple[str, str], list] = defaultdict(list)
    for ranking, request in zip(rankings, requests, strict=True):
        for target in ("en", "fr", "es"):
            relevant = {ref for ref in labels(request) if language_of.get(ref) == target}
            if target == request["language"] or not relevant:
                continue
            cut = [ref for ref in ranking if language_of.get(ref) == target]
            recall = len(set(cut[:10]) & relevant) / min(10, len(relevant))
            rr = next((1 / (i + 1) for i, ref in enumerate(cut) if ref in relevant), 0.0)
            found[(request["language"], target)].append((recall, rr))
    return found


class Command(BaseCommand):
    help = "The cross-language bridge on a labelled development set, beside its baselines."

    def add_arguments(self, parser):
        parser.add_argument("--devset", default=str(DEFAULT_DEVSET), help="folder of the set")
        parser.add_argument("--seed", type=int, default=7, help="shuffles the import order")
        parser.add_argument(
            "--background",
            help="folder of another set whose experiences are imported too, unjudged: "
            "distractors for a small set (e.g. benchmarks/bridge_cases beside the "
            "development set)",
        )

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def handle(self, *args, devset, seed, background=None, **options):
        folder = Path(devset)
        try:
            experiences = read_lines(folder / "experiences.jsonl")
            needs = read_lines(folder / "needs.jsonl")
            queries = read_lines(folder / "search_queries.jsonl")
            if background:
                experiences += read_lines(Path(background) / "experiences.jsonl")
        except OSError as error:
            raise CommandError(f"cannot read the development set: {error}") from error
        refs = {line["ref"] for line in experiences}
        if Experience.objects.exclude(external_ref__in=refs).exists():
            raise CommandError(
                "this database holds other experiences: run the benchmark on a database of "
                "its own (DATABASE_URL=sqlite:///var/bridge.sqlite3, then migrate)"
            )
        embedding.current_model()
        memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.import_set(experiences, seed)
        language_of = {line["ref"]: line["language"] for line in experiences}
        ref_of = dict(
            Experience.objects.filter(external_ref__in=refs).values_list("pk", "external_ref")
        )
        self.say(f"model: {embedding.model_label()}")
        self.needs(needs, language_of, ref_of)
        self.queries(queries, experiences, language_of, ref_of)
        memory_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.say(
            f"memory: the models and {len(ref_of)} vectors added "
            f"{(memory_after - memory_before) / 1024:.0f} MB to this process "
            f"(peak resident size {memory_after / 1024:.0f} MB)"
        )

    def import_set(self, experiences: list[dict], seed: int) -> None:
        # The order of the file is no signal: the experiences are imported shuffled.
        shuffled = experiences[:]
        random.Random(seed).shuffle(shuffled)
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as handle:
            for line in shuffled:
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
            handle.flush()
            started = time.perf_counter()
            call_command(
                "import_experiences", handle.name, stdout=io.StringIO(), stderr=io.StringIO()
            )
            elapsed = time.perf_counter() - started
        self.say(
            f"import_experiences: {len(experiences)} experiences imported, indexed and embedded "
            f"in {elapsed:.1f} s ({len(experiences) / elapsed:.1f} texts/s with their sentences)"
        )

    # --- needs --------------------------------------------------------------------------

    def needs(self, needs: list[dict], language_of, ref_of) -> None:
        countries = {c.code: c for c in Country.objects.select_related("region")}
        lines = [
            {"ref": ref_of[pk], "language": language_of[ref_of[pk]], "title": t, "summary": s}
            for pk, t, s in Experience.objects.filter(pk__in=list(ref_of)).values_list(
                "pk", "title", "summary"
            )
        ]
        keyword = KeywordBaseline(lines)
        vectors = semantic.vector_set("experience")
        matrix = vectors.vectors(slice(None))
        results: dict[str, list] = defaultdict(list)
        timings = []
        for need in needs:
            started = time.perf_counter()
            output = io.StringIO()
            arguments = ["--text", need["text"], "--language", need["language"], "--top", "60"]
            if need.get("country") in countries:
                arguments += ["--country", need["country"]]
            if need.get("population"):
                arguments += ["--population", str(need["population"])]
            call_command("match_need", *arguments, "--json", stdout=output)
            timings.append(time.perf_counter() - started)
            ranked = [item["ref"] for item in json.loads(output.getvalue())]
            results["engine"].append(ranked)
            concepts_only = engine.seeker_for_text(
                need["text"],
                need["language"],
                country=countries.get(need.get("country")),
                population=need.get("population"),
            )
            concepts_only.text = ""  # no sentence embedding: today's glossary engine
            results["glossary engine alone"].append(
                [
                    ref_of[s.experience.pk]
                    for s in engine.suggest(concepts_only, top=60, cities=0).experiences
                ]
            )
            results["keyword, one language"].append(
                keyword.search(need["text"], need["language"], top=60)
            )
            query = embedding.embed([need["text"]], "query")[0]
            for name, part in model_parts():
                order = np.argsort(-(matrix[:, part] @ query[part]))[:60]
                results[f"{name} alone"].append([ref_of[int(vectors.ids[n])] for n in order])
        self.say(f"needs ({len(needs)}; every answer in another language than the need):")
        self.say(
            f"  {'method':<44} {'recall@10':>9} {'MRR':>6} {'nDCG@10':>8} {'recall@5':>9} "
            f"{'g2 hit@1':>9} | mixed: {'recall@10':>9} {'MRR':>6} {'nDCG@10':>8}"
        )
        for name, rankings in results.items():
            strict = np.mean(
                [
                    need_scores(r, n, language_of, False)
                    for r, n in zip(rankings, needs, strict=True)
                ],
                axis=0,
            )
            mixed = np.mean(
                [
                    need_scores(r, n, language_of, True)
                    for r, n in zip(rankings, needs, strict=True)
                ],
                axis=0,
            )
            self.say(
                f"  {name:<44} {strict[0]:9.3f} {strict[1]:6.3f} {strict[2]:8.3f} "
                f"{strict[3]:9.3f} {strict[4]:9.3f} |        {mixed[0]:9.3f} {mixed[1]:6.3f} "
                f"{mixed[2]:8.3f}"
            )
        self.say_directions(results, needs, language_of, lambda need: need["graded"], "MRR")
        timings.sort()
        self.say(
            f"  match_need (command, {len(timings)} needs, query embedding included): "
            f"p50 {statistics.median(timings) * 1000:.0f} ms, "
            f"p95 {timings[int(len(timings) * 0.95) - 1] * 1000:.0f} ms"
        )

    def say_directions(self, results, requests, language_of, labels, rr_name: str) -> None:
        """The engine and the first model alone, per direction (request → answers)."""
        for name in ("engine", f"{model_parts()[0][0]} alone"):
            directions = by_direction(results[name], requests, language_of, labels)
            cells = [
                f"{source}→{target} {np.mean([r for r, _ in values]):.2f}/"
                f"{np.mean([rr for _, rr in values]):.2f}"
                for (source, target), values in sorted(directions.items())
            ]
            self.say(f"  by direction, {name} (recall@10/{rr_name}): " + "  ".join(cells))

    # --- queries ------------------------------------------------------------------------

    def queries(self, queries: list[dict], experiences, language_of, ref_of) -> None:
        keyword = KeywordBaseline(experiences)
        vectors = semantic.vector_set("experience")
        matrix = vectors.vectors(slice(None))
        anonymous = AnonymousUser()
        results: dict[str, list] = defaultdict(list)
        timings = []
        for query in queries:
            started = time.perf_counter()
            found = searching.run_search(
                anonymous,
                query["q"],
                filters={"type": "experience"},
                per_page=50,
                reader_language=query["language"],
            )
            timings.append(time.perf_counter() - started)
            results["engine"].append([ref_of.get(hit.entry.object_id) for hit in found.hits])
            words = searching.run_search(
                anonymous,
                query["q"],
                filters={"type": "experience"},
                per_page=50,
                reader_language=query["language"],
                semantic=False,
            )
            results["words and glossary alone"].append(
                [ref_of.get(hit.entry.object_id) for hit in words.hits]
            )
            results["keyword, one language"].append(
                keyword.search(query["q"], query["language"], top=50)
            )
            vector = embedding.embed([query["q"]], "query")[0]
            for name, part in model_parts():
                order = np.argsort(-(matrix[:, part] @ vector[part]))[:50]
                results[f"{name} alone"].append([ref_of[int(vectors.ids[n])] for n in order])
        self.say(f"search queries ({len(queries)}; relevant: the other two languages):")
        self.say(f"  {'method':<44} {'recall@10':>9} {'mixed':>6} {'none found':>11}")
        for name, rankings in results.items():
            strict = statistics.fmean(
                query_recall(r, q, language_of, False)
                for r, q in zip(rankings, queries, strict=True)
            )
            mixed = statistics.fmean(
                query_recall(r, q, language_of, True)
                for r, q in zip(rankings, queries, strict=True)
            )
            empty = sum(
                1
                for r, q in zip(rankings, queries, strict=True)
                if not [ref for ref in r if language_of.get(ref) != q["language"]]
            )
            self.say(f"  {name:<44} {strict:9.3f} {mixed:6.3f} {empty:11d}")
        self.say_directions(results, queries, language_of, lambda query: query["relevant"], "MRR")
        timings.sort()
        self.say(
            f"  search page query (run_search, {len(timings)} queries, embedding included): "
            f"p50 {statistics.median(timings) * 1000:.0f} ms, "
            f"p95 {timings[int(len(timings) * 0.95) - 1] * 1000:.0f} ms"
        )
