"""The two full-text backends behind one interface.

SQLite (embedded default): an FTS5 table `search_fts(title, body, tags)` whose rowid is
the entry id; text is stemmed in Python (PyStemmer, per language) before it is stored,
and queries are stemmed the same way; `tags` holds a token per facet and visibility. PostgreSQL (production): a `vector` tsvector
column on the entry, built with the 'english', 'french' and 'spanish' configurations,
each for the text in its language, under a GIN index; queries are compiled into
tsqueries with the same configurations. Both read the same `ParsedQuery`.
"""

import hashlib

from django.db import connection
from django.db.models import Exists, FloatField, OuterRef, QuerySet
from django.db.models.expressions import RawSQL

from . import language
from .models import EntryVisibility
from .query import ParsedQuery

PG_CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}


def tag(key: str) -> str:
    """The one-word token standing for an entry's "name=value" key (a facet, or its
    visibility) in the `tags` column of the full-text table: letters and digits only,
    so the tokenizer keeps it whole, and nothing a reader's word is stemmed to."""
    return "k" + hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def entry_keys(visibility: str, facet_keys) -> list[str]:
    """What an entry is filtered on: its visibility and each of its facets."""
    return [f"visibility={visibility}", *facet_keys]


class SQLiteBackend:
    """FTS5 table `search_fts(title, body, tags)`: stemmed text, and in `tags` one token
    per facet and for the visibility, so that what may be seen and the facets chosen
    are conditions of the full-text query itself (no join to count or filter)."""

    # Matches are ranked (bm25) among the newest RANK_POOL of them: scoring every one
    # of a query matching most of the index costs time in proportion to the matches.
    # Beyond the pool, the older matches follow, newest first.
    RANK_POOL = 2_000

    def write(self, entry_id: int, titles: dict[str, str], bodies: dict[str, str], keys=()) -> None:
        self.delete_many([entry_id])
        self.write_many([(entry_id, titles, bodies, keys)])

    def delete(self, entry_id: int) -> None:
        self.delete_many([entry_id])

    def write_many(self, rows) -> None:
        """`rows`: (entry id, titles, bodies, keys) of new entries; one executemany for all."""
        params = [
            (
                entry_id,
                " ".join(language.index_text(text, code) for code, text in titles.items()),
                " ".join(language.index_text(text, code) for code, text in bodies.items()),
                " ".join(tag(key) for key in keys),
            )
            for entry_id, titles, bodies, keys in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body, tags) VALUES (%s, %s, %s, %s)", params
            )

    def delete_many(self, entry_ids) -> None:
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(i,) for i in entry_ids])

    def match_expression(
        self, parsed: ParsedQuery, visibilities=None, filters=None, any_word: bool = False
    ) -> str:
        """The FTS5 query: the reader's words in the text columns (all of them, or any
        with `any_word`), and the restrictions (visibility, chosen facets) on the tags
        column."""
        groups = []
        for group in parsed.groups:
            phrases = sorted({" ".join(p) for a in group for p in a.stemmed() if p})
            groups.append("(" + " OR ".join(f'"{p}"' for p in phrases) + ")")
        # Tag tokens occur only in the tags column and no stemmed word looks like one,
        # so no column filter is needed (it would make FTS5 read every position list).
        expression = (" OR " if any_word else " AND ").join(groups)
        if any_word and len(groups) > 1:
            expression = f"({expression})"
        if visibilities is not None:
            # What may not be seen is excluded: a short list, unlike what may.
            hidden = [v for v in EntryVisibility.values if v not in visibilities]
            for value in hidden:
                expression = f"({expression}) NOT {tag(f'visibility={value}')}"
            if not visibilities:
                expression = f"({expression}) AND {tag('-')}"
        for name, value in sorted((filters or {}).items()):
            expression += f" AND {tag(f'{name}={value}')}"
        return expression

    def matching(self, queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
        # A plain id subquery: the outer table may be aliased when this is nested.
        ids = RawSQL(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
            [self.match_expression(parsed)],
        )
        return queryset.filter(id__in=ids)

    def ranked_ids(self, queryset: QuerySet, parsed: ParsedQuery, limit: int, offset: int):
        """Ids of `queryset` matching the query, best first, ranked as `ranked_rows`."""
        subquery, params = queryset.values("id").query.sql_with_params()
        rows = self.ranked_rows(parsed, limit + offset)
        allowed = self._ids_in(subquery, params, [row[0] for row in rows])
        return [row[0] for row in rows if row[0] in allowed][offset : offset + limit]

    def _ids_in(self, subquery, params, ids) -> set[int]:
        if not ids:
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM ({subquery}) WHERE id IN ({', '.join(['%s'] * len(ids))})",  # noqa: S608 - Django's SQL, values as parameters
                [*params, *ids],
            )
            return {row[0] for row in cursor.fetchall()}

    # bm25 weights: titles ten times the body; the tags never count.
    SCORE = "bm25(search_fts, 10.0, 1.0, 0.0)"

    def ranked_rows(
        self,
        parsed: ParsedQuery,
        limit: int,
        *,
        visibilities=None,
        filters=None,
        offset: int = 0,
        any_word: bool = False,
    ):
        """(id, facet_keys) of the best matching entries, best first (titles weigh ten
        times more): one statement gives the page and what the facets are counted on.

        The newest RANK_POOL matches are ranked; any older ones follow, newest first."""
        match = self.match_expression(parsed, visibilities, filters, any_word)
        rows = []
        if offset < self.RANK_POOL:
            sql = (
                "WITH pool AS MATERIALIZED (SELECT rowid AS id, "  # noqa: S608 - constants
                f"{self.SCORE} AS score FROM search_fts WHERE search_fts MATCH %s "
                "ORDER BY rowid DESC LIMIT %s) "
                "SELECT p.id, e.facet_keys FROM pool p "
                "JOIN search_searchentry e INDEXED BY search_entry_cover ON e.id = p.id "
                "ORDER BY p.score, p.id DESC LIMIT %s OFFSET %s"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [match, self.RANK_POOL, limit, offset])
                rows = cursor.fetchall()
            if len(rows) == limit or offset + limit <= self.RANK_POOL:
                return rows
        # Past the pool: the older matches, newest first.
        sql = (
            "WITH pool AS MATERIALIZED (SELECT rowid AS id FROM search_fts "
            "WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT -1 OFFSET %s) "
            "SELECT p.id, e.facet_keys FROM pool p "
            "JOIN search_searchentry e INDEXED BY search_entry_cover ON e.id = p.id "
            "ORDER BY p.id DESC LIMIT %s OFFSET %s"
        )
        rest_offset = max(0, offset - self.RANK_POOL)
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, self.RANK_POOL, limit - len(rows), rest_offset])
            return rows + cursor.fetchall()

    def count(
        self, parsed: ParsedQuery, *, visibilities=None, filters=None, any_word: bool = False
    ) -> int:
        """The matches, counted by the full-text index alone."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s",
                [self.match_expression(parsed, visibilities, filters, any_word)],
            )
            return cursor.fetchone()[0]


class PostgresBackend:
    def write(self, entry_id: int, titles: dict[str, str], bodies: dict[str, str], keys=()) -> None:
        self.write_many([(entry_id, titles, bodies, keys)])

    def delete(self, entry_id: int) -> None:
        """The vector goes with its row."""

    def delete_many(self, entry_ids) -> None:
        """The vectors go with their rows."""

    # The vector of every language, weighted, computed by PostgreSQL from the plain text.
    VECTOR_SQL = " || ".join(
        f"setweight(to_tsvector('{config}', %s), '{weight}')"
        for weight in ("A", "D")
        for config in PG_CONFIGS.values()
    )

    def write_many(self, rows) -> None:
        """`rows`: (entry id, titles, bodies, keys); one executemany, vectors built in SQL
        (the keys are read from the row's own columns)."""
        params = [
            (
                *(titles.get(code) or "" for code in PG_CONFIGS),
                *(bodies.get(code) or "" for code in PG_CONFIGS),
                entry_id,
            )
            for entry_id, titles, bodies, _keys in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE search_searchentry SET vector = {self.VECTOR_SQL} WHERE id = %s",  # noqa: S608 - configs are constants
                params,
            )

    def tsquery(self, parsed: ParsedQuery, any_word: bool = False) -> tuple[str, list[str]]:
        groups, params = [], []
        for group in parsed.groups:
            alternatives = []
            for alternative in group:
                codes = [alternative.language] if alternative.language else language.LANGUAGES
                for code in codes:
                    alternatives.append(f"phraseto_tsquery('{PG_CONFIGS[code]}', %s)")
                    params.append(" ".join(alternative.words))
            groups.append("(" + " || ".join(alternatives) + ")")
        return (" || " if any_word else " && ").join(groups), params

    def matching(self, queryset: QuerySet, parsed: ParsedQuery, any_word: bool = False) -> QuerySet:
        sql, params = self.tsquery(parsed, any_word)
        # Configuration names are constants; the reader's words are parameters.
        ids = RawSQL(f"SELECT id FROM search_searchentry WHERE vector @@ ({sql})", params)  # noqa: S608, S611
        return queryset.filter(id__in=ids)

    def ranked_ids(self, queryset: QuerySet, parsed: ParsedQuery, limit: int, offset: int):
        sql, params = self.tsquery(parsed)
        score = RawSQL(  # noqa: S611
            f'ts_rank("search_searchentry"."vector", ({sql}))', params, output_field=FloatField()
        )
        ranked = self.matching(queryset, parsed).annotate(score=score).order_by("-score", "-id")
        return list(ranked.values_list("id", flat=True)[offset : offset + limit])

    def _restricted(self, visibilities, filters) -> QuerySet:
        from .models import SearchEntry, SearchFacet

        entries = SearchEntry.objects.all()
        if visibilities is not None:
            entries = entries.filter(visibility__in=list(visibilities))
        for name, value in (filters or {}).items():
            entries = entries.filter(
                Exists(SearchFacet.objects.filter(entry=OuterRef("pk"), name=name, value=value))
            )
        return entries

    def ranked_rows(
        self,
        parsed: ParsedQuery,
        limit: int,
        *,
        visibilities=None,
        filters=None,
        offset: int = 0,
        any_word: bool = False,
    ):
        sql, params = self.tsquery(parsed, any_word)
        score = RawSQL(  # noqa: S611
            f'ts_rank("search_searchentry"."vector", ({sql}))', params, output_field=FloatField()
        )
        ranked = (
            self.matching(self._restricted(visibilities, filters), parsed, any_word)
            .annotate(score=score)
            .order_by("-score", "-id")
        )
        return list(ranked.values_list("id", "facet_keys")[offset : offset + limit])

    def count(
        self, parsed: ParsedQuery, *, visibilities=None, filters=None, any_word: bool = False
    ) -> int:
        return self.matching(self._restricted(visibilities, filters), parsed, any_word).count()


def current():
    """The backend for the database in use."""
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
