from django.db import migrations

CANNED_RESPONSES = [
    (
        "SAM questions",
        "SAM Spectra 7 questions (passwords, account access, grades) go to Towanda Mangrum at "
        "tmangrum@northpanolaschools.org. Please email her directly; she can help you faster than we can.",
    ),
    (
        "Active Resources questions",
        "Active Resources questions (passwords, account setup, access) go to Faye Robertson at "
        "frobertson@northpanolaschools.org. Please email her directly.",
    ),
    (
        "Maintenance request",
        "This is a repair for the Maintenance Department. Please submit it on the Maintenance Help Desk: its icon is "
        "in the upper left corner of the district website, https://www.northpanolaschools.org/.",
    ),
]


def create_search_index(apps, schema_editor):
    # A GIN index exists only on PostgreSQL; SQLite searches with a plain fallback.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS ticket_search_gin ON tickets_ticket USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ticket_search_gin")


def seed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    CannedResponse = apps.get_model("tickets", "CannedResponse")
    Group.objects.get_or_create(name="Technicians")
    for title, body in CANNED_RESPONSES:
        CannedResponse.objects.get_or_create(title=title, defaults={"body": body})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_workspace"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
