from django.db import migrations, models


def copy_facets(apps, schema_editor):
    """Existing entries get the copy of their facets (one statement)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        aggregate = "group_concat(f.name || '=' || f.value, char(10))"
    elif vendor == "postgresql":
        aggregate = "string_agg(f.name || '=' || f.value, chr(10))"
    else:
        return
    schema_editor.execute(
        "UPDATE search_searchentry SET facet_keys = COALESCE(("  # noqa: S608 - constant SQL
        f"SELECT {aggregate} FROM search_searchfacet f "
        "WHERE f.entry_id = search_searchentry.id), '')"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_fulltext"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="facet_keys",
            field=models.TextField(blank=True, default="", verbose_name="facets"),
        ),
        migrations.RunPython(copy_facets, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["indexed_at"], name="search_entry_indexed_at"),
        ),
    ]
