"""On SQLite, the full-text table gains a `tags` column: one token per facet of the
entry and one for its visibility, so that the search filters and counts inside the
full-text query. FTS5 tables cannot gain a column: a new one is filled from the old
(its stemmed text is kept as it is) and takes its name."""

from django.db import migrations


def _rebuild(schema_editor, with_tags: bool):
    from search.backends import entry_keys, tag

    columns = "title, body, tags" if with_tags else "title, body"
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS search_fts_new")
        cursor.execute(
            f"CREATE VIRTUAL TABLE search_fts_new USING fts5({columns}, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        if with_tags:
            cursor.execute(
                "SELECT f.rowid, f.title, f.body, e.visibility, e.facet_keys "
                "FROM search_fts f JOIN search_searchentry e ON e.id = f.rowid"
            )
            rows = [
                (
                    rowid,
                    title,
                    body,
                    " ".join(tag(k) for k in entry_keys(visibility, keys.split("\n") if keys else [])),
                )
                for rowid, title, body, visibility, keys in cursor.fetchall()
            ]
            cursor.executemany(
                "INSERT INTO search_fts_new (rowid, title, body, tags) VALUES (%s, %s, %s, %s)",
                rows,
            )
        else:
            cursor.execute(
                "INSERT INTO search_fts_new (rowid, title, body) "
                "SELECT rowid, title, body FROM search_fts"
            )
        cursor.execute("DROP TABLE search_fts")
        cursor.execute("ALTER TABLE search_fts_new RENAME TO search_fts")
        cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _rebuild(schema_editor, with_tags=True)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _rebuild(schema_editor, with_tags=False)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_search4_entry_cover")]

    operations = [migrations.RunPython(forward, backward)]
