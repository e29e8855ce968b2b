from django.db import migrations, models


def create_open_search_index(apps, schema_editor):
    # Searching open work (the queue's default) reads only open tickets' entries, not every ticket's then a filter.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS ticket_open_search_gin ON tickets_ticket USING gin (search_vector) "
            "WHERE status IN ('open', 'in_progress', 'waiting')"
        )


def drop_open_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ticket_open_search_gin")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0015_school_open_count")]

    operations = [
        migrations.RemoveIndex(model_name="ticket", name="ticket_open_age_idx"),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("status__in", ["open", "in_progress", "waiting"])),
                fields=["created_at", "id"],
                include=("school", "priority"),
                name="ticket_open_age_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("status__in", ["open", "in_progress", "waiting"])),
                fields=["requester_email"],
                name="ticket_open_requester_idx",
            ),
        ),
        migrations.RunPython(create_open_search_index, drop_open_search_index),
    ]
