"""The two full-text backends behind one interface.

SQLite (embedded default): an FTS5 table `search_fts(title, body)` whose rowid is the
entry id; text is stemmed in Python (PyStemmer, per language) before it is stored,
and queries are stemmed the same way. PostgreSQL (production): a `vector` tsvector
column on the entry, built with the 'english', 'french' and 'spanish' configurations,
each for the text in its language, under a GIN index; queries are compiled into
tsqueries with the same configurations. Both read the same `ParsedQuery`.
"""

from django.db import connection
from django.db.models import Exists, FloatField, OuterRef, QuerySet
from django.db.models.expressions import RawSQL

from . import language
from .query import ParsedQuery

PG_CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}


class SQLiteBackend:
    def write(self, entry_id: int, titles: dict[str, str], bodies: dict[str, str]) -> None:
        self.delete_many([entry_id])
        self.write_many([(entry_id, titles, bodies)])

    def delete(self, entry_id: int) -> None:
        self.delete_many([entry_id])

    def write_many(self, rows) -> None:
        """`rows`: (entry id, titles, bodies) of new entries; one executemany for all."""
        params = [
            (
                entry_id,
                " ".join(language.index_text(text, code) for code, text in titles.items()),
                " ".join(language.index_text(text, code) for code, text in bodies.items()),
            )
            for entry_id, titles, bodies in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)", params
            )

    def delete_many(self, entry_ids) -> None:
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(i,) for i in entry_ids])

    def match_expression(self, parsed: ParsedQuery) -> str:
        groups = []
        for group in parsed.groups:
            phrases = sorted({" ".join(p) for a in group for p in a.stemmed() if p})
            groups.append("(" + " OR ".join(f'"{p}"' for p in phrases) + ")")
        return " AND ".join(groups)

    def matching(self, queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
        # A plain id subquery: the outer table may be aliased when this is nested.
        ids = RawSQL(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
            [self.match_expression(parsed)],
        )
        return queryset.filter(id__in=ids)

    def ranked_ids(self, queryset: QuerySet, parsed: ParsedQuery, limit: int, offset: int):
        """Ids of `queryset` matching the query, best first (titles weigh ten times more)."""
        subquery, params = queryset.values("id").query.sql_with_params()
        # Matches are ranked once, materialised, then filtered: with the id constraint
        # inside the full-text query SQLite would re-run the match row by row.
        # The subquery is Django's own SQL with its parameters kept separate.
        sql = (
            "WITH matched AS MATERIALIZED (SELECT rowid AS id, bm25(search_fts, 10.0, 1.0) AS score "  # noqa: S608
            "FROM search_fts WHERE search_fts MATCH %s) "
            f"SELECT id FROM matched WHERE id IN ({subquery}) "
            "ORDER BY score, id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match_expression(parsed), *params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def _restricted(self, visibilities, filters) -> tuple[str, list]:
        """Conditions on the entry `e` of a match: its visibility and chosen facets.

        Facets are looked up in the entry's own copy (`facet_keys`), so that the
        conditions cost nothing beyond the row already read for each match."""
        conditions, params = [], []
        if visibilities is not None:
            conditions.append(f"e.visibility IN ({', '.join(['%s'] * len(visibilities))})")
            params += list(visibilities)
        for name, value in sorted((filters or {}).items()):
            conditions.append("instr(char(10) || e.facet_keys || char(10), %s) > 0")
            params.append(f"\n{name}={value}\n")
        return (" AND ".join(conditions) or "1"), params

    def ranked_rows(
        self, parsed: ParsedQuery, limit: int, *, visibilities=None, filters=None, offset: int = 0
    ):
        """(id, facet_keys) of the best matching entries, best first (titles weigh ten
        times more): one statement gives the page and what the facets are counted on."""
        where, params = self._restricted(visibilities, filters)
        # Matches are ranked once, materialised, then joined to their entries by id
        # through the small index of what is read of them (migration 0004).
        sql = (
            "WITH matched AS MATERIALIZED (SELECT rowid AS id, bm25(search_fts, 10.0, 1.0) AS score "  # noqa: S608
            "FROM search_fts WHERE search_fts MATCH %s) "
            "SELECT e.id, e.facet_keys FROM matched m "
            "JOIN search_searchentry e INDEXED BY search_entry_cover ON e.id = m.id "
            f"WHERE {where} ORDER BY m.score, m.id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match_expression(parsed), *params, limit, offset])
            return cursor.fetchall()

    def count(self, parsed: ParsedQuery, *, visibilities=None, filters=None) -> int:
        where, params = self._restricted(visibilities, filters)
        sql = (
            "WITH matched AS MATERIALIZED (SELECT rowid AS id FROM search_fts "  # noqa: S608
            "WHERE search_fts MATCH %s) SELECT count(*) FROM matched m "
            "JOIN search_searchentry e INDEXED BY search_entry_cover ON e.id = m.id "
            f"WHERE {where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match_expression(parsed), *params])
            return cursor.fetchone()[0]


class PostgresBackend:
    def write(self, entry_id: int, titles: dict[str, str], bodies: dict[str, str]) -> None:
        self.write_many([(entry_id, titles, bodies)])

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
        """`rows`: (entry id, titles, bodies); one executemany, vectors built in SQL."""
        params = [
            (
                *(titles.get(code) or "" for code in PG_CONFIGS),
                *(bodies.get(code) or "" for code in PG_CONFIGS),
                entry_id,
            )
            for entry_id, titles, bodies in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE search_searchentry SET vector = {self.VECTOR_SQL} WHERE id = %s",  # noqa: S608 - configs are constants
                params,
            )

    def tsquery(self, parsed: ParsedQuery) -> tuple[str, list[str]]:
        groups, params = [], []
        for group in parsed.groups:
            alternatives = []
            for alternative in group:
                codes = [alternative.language] if alternative.language else language.LANGUAGES
                for code in codes:
                    alternatives.append(f"phraseto_tsquery('{PG_CONFIGS[code]}', %s)")
                    params.append(" ".join(alternative.words))
            groups.append("(" + " || ".join(alternatives) + ")")
        return " && ".join(groups), params

    def matching(self, queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
        sql, params = self.tsquery(parsed)
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
        self, parsed: ParsedQuery, limit: int, *, visibilities=None, filters=None, offset: int = 0
    ):
        sql, params = self.tsquery(parsed)
        score = RawSQL(  # noqa: S611
            f'ts_rank("search_searchentry"."vector", ({sql}))', params, output_field=FloatField()
        )
        ranked = (
            self.matching(self._restricted(visibilities, filters), parsed)
            .annotate(score=score)
            .order_by("-score", "-id")
        )
        return list(ranked.values_list("id", "facet_keys")[offset : offset + limit])

    def count(self, parsed: ParsedQuery, *, visibilities=None, filters=None) -> int:
        return self.matching(self._restricted(visibilities, filters), parsed).count()


def current():
    """The backend for the database in use."""
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
