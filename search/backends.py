"""The two full-text backends behind one interface.

SQLite (embedded default): an FTS5 table `search_fts(title, body)` whose rowid is the
entry id; text is stemmed in Python (PyStemmer, per language) before it is stored,
and queries are stemmed the same way. PostgreSQL (production): a `vector` tsvector
column on the entry, built with the 'english', 'french' and 'spanish' configurations,
each for the text in its language, under a GIN index; queries are compiled into
tsqueries with the same configurations. Both read the same `ParsedQuery`.
"""

from django.db import connection
from django.db.models import FloatField, QuerySet
from django.db.models.expressions import RawSQL

from . import language
from .query import ParsedQuery

PG_CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}


class SQLiteBackend:
    def write(self, entry_id: int, titles: dict[str, str], bodies: dict[str, str]) -> None:
        title = " ".join(language.index_text(text, code) for code, text in titles.items())
        body = " ".join(language.index_text(text, code) for code, text in bodies.items())
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [entry_id])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
                [entry_id, title, body],
            )

    def delete(self, entry_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [entry_id])

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


class PostgresBackend:
    def write(self, entry_id: int, titles: dict[str, str], bodies: dict[str, str]) -> None:
        parts, params = [], []
        for weight, texts in (("A", titles), ("D", bodies)):
            for code, text in texts.items():
                parts.append(f"setweight(to_tsvector('{PG_CONFIGS[code]}', %s), '{weight}')")
                params.append(text or "")
        vector = " || ".join(parts) if parts else "''::tsvector"
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE search_searchentry SET vector = {vector} WHERE id = %s",  # noqa: S608 - configs are constants
                [*params, entry_id],
            )

    def delete(self, entry_id: int) -> None:
        """The vector goes with its row."""

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


def current():
    """The backend for the database in use."""
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
