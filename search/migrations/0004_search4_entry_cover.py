"""On SQLite, an index holding what the search reads of each match (its visibility and
facets), so that joining thousands of matches reads this small index, not the rows with
their display text. PostgreSQL reads the rows by their primary key as well as it needs."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_entry_cover "
            "ON search_searchentry (id, visibility, facet_keys)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_cover")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_search4_facet_keys")]

    operations = [migrations.RunPython(create, drop)]
