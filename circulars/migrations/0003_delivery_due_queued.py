import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

# Room left in each page of the deliveries for the new versions of its rows: PostgreSQL
# then updates a row in its own page (heap-only), without new index entries.
FILLFACTOR = 70


def only_queued_rows_are_due(apps, schema_editor):
    Delivery = apps.get_model("circulars", "Delivery")
    Delivery.objects.exclude(status="queued").update(next_attempt_at=None)
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(Delivery._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def every_row_has_a_date(apps, schema_editor):
    Delivery = apps.get_model("circulars", "Delivery")
    Delivery.objects.filter(next_attempt_at=None).update(next_attempt_at=models.F("updated_at"))
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(Delivery._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("circulars", "0002_bounced"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="delivery", name="delivery_due"),
        migrations.AlterField(
            model_name="delivery",
            name="circular",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="deliveries",
                to="circulars.circular",
                verbose_name="circular",
            ),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="next_attempt_at",
            field=models.DateTimeField(
                blank=True,
                default=django.utils.timezone.now,
                null=True,
                verbose_name="next attempt",
            ),
        ),
        migrations.RunPython(only_queued_rows_are_due, every_row_has_a_date),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("next_attempt_at__isnull", False)),
                fields=["circular", "next_attempt_at", "id"],
                name="delivery_due_queued",
            ),
        ),
    ]
