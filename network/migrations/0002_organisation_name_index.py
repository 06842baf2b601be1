"""A full-text index of organisation names on SQLite, for the directory's name search.

An FTS5 table over `search_name` (external content: it stores no copy of the text),
kept in step by triggers, so that rows written by any path (services, bulk imports,
generators) are found. It answers "any word of any language's name starts with ..."
in milliseconds at 250,000 organisations, where a LIKE '%...%' scan takes 120 ms.
PostgreSQL needs no such table (see DirectoryFilterForm.filter).
"""

from django.db import migrations

CREATE = [
    """CREATE VIRTUAL TABLE network_organisation_fts USING fts5(
        search_name, content='network_organisation', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2", prefix='2 3')""",
    """CREATE TRIGGER network_organisation_fts_insert AFTER INSERT ON network_organisation BEGIN
        INSERT INTO network_organisation_fts(rowid, search_name) VALUES (new.id, new.search_name);
    END""",
    """CREATE TRIGGER network_organisation_fts_delete AFTER DELETE ON network_organisation BEGIN
        INSERT INTO network_organisation_fts(network_organisation_fts, rowid, search_name)
        VALUES ('delete', old.id, old.search_name);
    END""",
    """CREATE TRIGGER network_organisation_fts_update AFTER UPDATE OF search_name
        ON network_organisation BEGIN
        INSERT INTO network_organisation_fts(network_organisation_fts, rowid, search_name)
        VALUES ('delete', old.id, old.search_name);
        INSERT INTO network_organisation_fts(rowid, search_name) VALUES (new.id, new.search_name);
    END""",
    "INSERT INTO network_organisation_fts(network_organisation_fts) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS network_organisation_fts_insert",
    "DROP TRIGGER IF EXISTS network_organisation_fts_delete",
    "DROP TRIGGER IF EXISTS network_organisation_fts_update",
    "DROP TABLE IF EXISTS network_organisation_fts",
]


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
