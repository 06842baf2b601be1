"""Benchmarks of the search: speed at full scale and retrieval quality across languages.

Run it on a scratch database, never on real data: it writes synthetic records.

    VAR_DIR=var/bench manage.py migrate
    VAR_DIR=var/bench manage.py benchmark_search --experiences 100000 --documents 20000

Synthetic records are bulk-inserted (a generator, not user writes: no audit entries);
the index is then written by the batch indexer of `reindex_search` (the same entry
builders as the worker's per-object task), and a sample re-indexed one object at a time.
"""

import random
import statistics
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from entrevilles.planner import refresh_planner_statistics
from library.models import Document, Experience, Status
from network.models import Country, Organisation, Region
from search import backends, query, registry, services
from search.glossary import TERMS
from search.models import SearchEntry, SemanticVector
from search.searching import FACET_SAMPLE, run_search

LANGUAGES = ("en", "fr", "es")
FILLER = {
    "en": [
        "the",
        "city",
        "council",
        "worked",
        "with",
        "residents",
        "and",
        "partners",
        "over",
        "several",
        "years",
        "to",
        "improve",
        "the",
        "programme",
    ],
    "fr": [
        "la",
        "municipalité",
        "a",
        "travaillé",
        "avec",
        "les",
        "habitants",
        "et",
        "ses",
        "partenaires",
        "pendant",
        "plusieurs",
        "années",
        "pour",
        "améliorer",
        "le",
        "programme",
    ],
    "es": [
        "el",
        "ayuntamiento",
        "trabajó",
        "con",
        "los",
        "vecinos",
        "y",
        "sus",
        "socios",
        "durante",
        "varios",
        "años",
        "para",
        "mejorar",
        "el",
        "programa",
    ],
}


def _percentiles(timings):
    timings = sorted(timings)
    return timings[len(timings) // 2], timings[int(len(timings) * 0.95) - 1]


def _concepts():
    """Concept key -> {language: first term}."""
    return {
        key: {
            code: terms.split(",")[0].strip() for code, terms in zip(LANGUAGES, values, strict=True)
        }
        for key, values in TERMS.items()
    }


class Command(BaseCommand):
    help = "Measure search speed at scale and retrieval quality (recall@10, MRR)."

    def add_arguments(self, parser):
        parser.add_argument("--experiences", type=int, default=100_000)
        parser.add_argument("--documents", type=int, default=20_000)
        parser.add_argument("--queries", type=int, default=200)
        parser.add_argument("--skip-scale", action="store_true")
        parser.add_argument(
            "--search-only",
            action="store_true",
            help="time the searches on the index left by an earlier full run",
        )

    def handle(self, *args, experiences, documents, queries, skip_scale, search_only, **options):
        random.seed(7)
        if search_only:
            self.searches(list(_concepts().values()), queries)
            return
        self.quality()
        if not skip_scale:
            self.scale(experiences, documents, queries)

    # --- retrieval quality -------------------------------------------------------------

    def quality(self):
        """For each concept, one experience in each language; a query in one language
        should find the two written in the others."""
        concepts = _concepts()
        with transaction.atomic():
            cities = self._cities(30)
            written = {}
            for key, terms in concepts.items():
                for code in LANGUAGES:
                    filler = random.sample(FILLER[code], 6)
                    experience = Experience.objects.create(
                        city=random.choice(cities),
                        original_language=code,
                        status=Status.PUBLISHED,
                        published_at=timezone.now(),
                        **{
                            f"title_{code}": f"{terms[code].capitalize()} {' '.join(filler[:3])}",
                            f"summary_{code}": " ".join(filler),
                        },
                    )
                    registry.indexer_for("experience")(experience.pk)
                    written[(key, code)] = experience.pk
            vocabulary = query.vocabulary()
            scores = {"cross-language (glossary)": [], "single-language keywords": []}
            for key, terms in concepts.items():
                for code in LANGUAGES:
                    relevant = {written[(key, other)] for other in LANGUAGES if other != code}
                    for label, parsed in (
                        ("cross-language (glossary)", query.parse(terms[code], vocabulary)),
                        ("single-language keywords", query.parse(terms[code], None, code)),
                    ):
                        ids = self._top_ids(parsed, 10)
                        found = [i for i in ids if i in relevant]
                        rank = next((n for n, i in enumerate(ids, 1) if i in relevant), None)
                        scores[label].append((len(found) / len(relevant), 1 / rank if rank else 0))
            self.stdout.write(
                f"Retrieval quality: {len(concepts) * 3} queries, 2 relevant items each, in the other languages"
            )
            for label, rows in scores.items():
                recall = statistics.mean(r for r, _m in rows)
                mrr = statistics.mean(m for _r, m in rows)
                self.stdout.write(f"  {label:28} recall@10 {recall:.3f}   MRR {mrr:.3f}")
            transaction.set_rollback(True)

    def _top_ids(self, parsed, limit):
        entries = SearchEntry.objects.all()
        ids = backends.current().ranked_ids(entries, parsed, limit, 0) if parsed else []
        object_ids = dict(SearchEntry.objects.filter(id__in=ids).values_list("id", "object_id"))
        return [object_ids[i] for i in ids]

    # --- scale ---------------------------------------------------------------------------

    def _cities(self, count):
        region, _created = Region.objects.get_or_create(
            code="bench", defaults={"name": "Benchmark"}
        )
        country, _created = Country.objects.get_or_create(
            code="ZZ", defaults={"alpha3": "ZZZ", "name": "Benchmark", "region": region}
        )
        cities = []
        for n in range(count):
            city = Organisation(
                name=f"Bench city {n}",
                kind="local_government",
                country=country,
                population=random.choice([20_000, 300_000, 2_000_000]),
            )
            city.refresh_derived_fields()
            cities.append(city)
        Organisation.objects.bulk_create(cities, ignore_conflicts=True)
        return list(Organisation.objects.filter(country=country))

    def scale(self, experience_count, document_count, query_count):
        concepts = list(_concepts().values())
        cities = self._cities(2_000)
        started = time.perf_counter()
        batch = []
        for _n in range(experience_count):
            code = random.choice(LANGUAGES)
            picked = random.sample(concepts, 3)
            words = [c[code] for c in picked] + random.sample(FILLER[code], 8)
            batch.append(
                Experience(
                    city=random.choice(cities),
                    original_language=code,
                    status=Status.PUBLISHED,
                    published_at=timezone.now(),
                    **{
                        f"title_{code}": " ".join(words[:5]),
                        f"summary_{code}": " ".join(words),
                        f"problem_{code}": " ".join(random.sample(words, 8)),
                    },
                )
            )
            if len(batch) == 5_000:
                Experience.objects.bulk_create(batch)
                batch = []
        Experience.objects.bulk_create(batch)
        batch = []
        for _n in range(document_count):
            code = random.choice(LANGUAGES)
            picked = random.sample(concepts, 4)
            words = [c[code] for c in picked] + random.sample(FILLER[code], 10)
            batch.append(
                Document(
                    kind="report",
                    original_language=code,
                    status=Status.PUBLISHED,
                    **{f"title_{code}": " ".join(words[:6]), f"abstract_{code}": " ".join(words)},
                )
            )
        Document.objects.bulk_create(batch, batch_size=5_000)
        self.stdout.write(
            f"Generated {experience_count} experiences and {document_count} documents in {time.perf_counter() - started:.0f} s"
        )

        started = time.perf_counter()
        for object_type in ("experience", "document"):
            services.rebuild(object_type)
        elapsed = time.perf_counter() - started
        total = SearchEntry.objects.count()
        self.stdout.write(
            f"Indexed {total} entries in batches of {services.BATCH_SIZE} in {elapsed:.0f} s: "
            f"{total / elapsed:.0f} entries/s"
        )
        started = time.perf_counter()
        sample = list(
            Experience.objects.published().order_by("id").values_list("id", flat=True)[:200]
        )
        for object_id in sample:
            services.index_object("experience", object_id)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Re-indexed {len(sample)} experiences one at a time (the on-commit task): "
            f"{len(sample) / elapsed:.0f} entries/s"
        )

        refresh_planner_statistics()
        self.searches(concepts, query_count)

    def add_vectors(self) -> None:
        """Sentence embeddings of every entry the search compares by meaning."""
        from benchmarks import vectors as benchmark_vectors
        from search import embedded, embedding, semantic
        from search.models import SearchEntry

        before = benchmark_vectors.resident_mb()
        embedding.current_model()
        model_mb = benchmark_vectors.resident_mb() - before
        self.stdout.write("Sentence embeddings:")
        for object_type in embedded.SEMANTIC_TYPES:
            texts = {
                object_id: (language, f"{titles.get(language, '')}\n{summaries.get(language, '')}")
                for object_id, language, titles, summaries in SearchEntry.objects.filter(
                    object_type=object_type
                ).values_list("object_id", "original_language", "titles", "summaries")
            }
            if texts:
                benchmark_vectors.fill(
                    object_type, texts, sample=100, seed=3, say=self.stdout.write
                )
        started = time.perf_counter()
        for object_type in embedded.SEMANTIC_TYPES:
            semantic.vector_set(object_type)
        self.stdout.write(
            f"  vectors loaded in {time.perf_counter() - started:.1f} s; the models and the "
            f"vectors: {benchmark_vectors.resident_mb() - before:.0f} MB of this process "
            f"(models {model_mb:.0f} MB; it also holds what generating and embedding left)"
        )
        held = benchmark_vectors.held_in_a_fresh_process(list(embedded.SEMANTIC_TYPES))
        counts = dict(
            SemanticVector.objects.values_list("object_type").annotate(n=Count("id")).order_by()
        )
        self.stdout.write(
            f"  what a fresh process (a web worker) adds by loading the models and every type's"
            f" vectors: {sum(held.values()):.0f} MB (models {held['models']:.0f} MB; "
            + ", ".join(
                f"{counts.get(t, 0):,} {t} vectors {held[t]:.0f} MB"
                for t in embedded.SEMANTIC_TYPES
                if counts.get(t)
            )
            + ")"
        )

    def searches(self, concepts, query_count):
        self.add_vectors()
        run_search(None, "warm")
        timings, cpu_timings, query_counts, partial = [], [], [], 0
        for n in range(query_count):
            concept = random.choice(concepts)
            code = random.choice(LANGUAGES)
            text = concept[code] if n % 2 else f"{concept[code]} {random.choice(concepts)[code]}"
            filters = {"type": "experience"} if n % 5 == 0 else {}
            statements = []

            def count(execute, sql, params, many, context, statements=statements):
                statements.append(sql)
                return execute(sql, params, many, context)

            cache.clear()  # the query's embedding is computed, not remembered from before
            with connection.execute_wrapper(count):
                started, cpu_started = time.perf_counter(), time.process_time()
                results = run_search(None, text, filters=filters)
                timings.append((time.perf_counter() - started) * 1000)
                cpu_timings.append((time.process_time() - cpu_started) * 1000)
            query_counts.append(len(statements))
            partial += results.facets_partial
        p50, p95 = _percentiles(timings)
        cpu_p50, cpu_p95 = _percentiles(cpu_timings)
        self.stdout.write(
            f"Search, first page with facets, words and meaning fused (query embedding "
            f"included), {query_count} queries: p50 {p50:.0f} ms, "
            f"p95 {p95:.0f} ms, {max(query_counts)} SQL queries per page at most"
        )
        # On a shared machine the elapsed time includes waiting for a core; the CPU time
        # of this process is what the search costs (SQLite runs in the process).
        self.stdout.write(
            f"  CPU time of the process: p50 {cpu_p50:.0f} ms, p95 {cpu_p95:.0f} ms; "
            f"{partial} of {query_count} queries had more than {FACET_SAMPLE:,} matches "
            "(facets counted on the best ones)"
        )
