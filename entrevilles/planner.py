"""After a bulk load: the query planner learns what the tables now hold."""

from django.db import DEFAULT_DB_ALIAS, connections


def refresh_planner_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    """ANALYZE on PostgreSQL, whose planner picks joins and indexes from each table's
    statistics. Right after tens of thousands of rows are written at once autovacuum has
    not caught up yet (it looks again a minute later, then samples), and plans made from
    the statistics of nearly empty tables were up to six times slower (a meeting's page,
    the action plan). SQLite's planner keeps its defaults here (no ANALYZE is ever run
    on it): nothing to do."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
