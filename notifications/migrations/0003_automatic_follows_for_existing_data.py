"""The automatic follows for what existed before notifications: owners of actions, parties
to partnerships, city officers of needs, registered participants of meetings."""

from django.db import migrations

from notifications.automatic import add_automatic_follows


def forwards(apps, schema_editor):
    add_automatic_follows(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_more_event_kinds"),
        ("accounts", "0004_personal_token"),
        ("actions", "0005_action_updated"),
        ("learning", "0006_party_map_copy"),
        ("meetings", "0005_past_meetings_index"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
