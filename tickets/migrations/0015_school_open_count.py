import django.db.models.deletion
from django.db import migrations, models

# The statuses are Ticket.OPEN_STATUSES when this was written; changing those needs a migration replacing the function.
CREATE_TRIGGERS = """
CREATE FUNCTION tickets_school_open_count_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO tickets_schoolopencount (school_id, priority, open_count)
        SELECT school_id, priority, sum(n) FROM (
            SELECT school_id, priority, 1 AS n FROM new_rows WHERE status IN ('open', 'in_progress', 'waiting')
        ) AS changes
        GROUP BY school_id, priority HAVING sum(n) <> 0
        ORDER BY school_id, priority  -- one lock order for every writer
        ON CONFLICT (school_id, priority)
        DO UPDATE SET open_count = tickets_schoolopencount.open_count + EXCLUDED.open_count;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO tickets_schoolopencount (school_id, priority, open_count)
        SELECT school_id, priority, sum(n) FROM (
            SELECT school_id, priority, -1 AS n FROM old_rows WHERE status IN ('open', 'in_progress', 'waiting')
        ) AS changes
        GROUP BY school_id, priority HAVING sum(n) <> 0
        ORDER BY school_id, priority  -- one lock order for every writer
        ON CONFLICT (school_id, priority)
        DO UPDATE SET open_count = tickets_schoolopencount.open_count + EXCLUDED.open_count;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO tickets_schoolopencount (school_id, priority, open_count)
        SELECT school_id, priority, sum(n) FROM (
            SELECT school_id, priority, 1 AS n FROM new_rows WHERE status IN ('open', 'in_progress', 'waiting')
            UNION ALL
            SELECT school_id, priority, -1 AS n FROM old_rows WHERE status IN ('open', 'in_progress', 'waiting')
        ) AS changes
        GROUP BY school_id, priority HAVING sum(n) <> 0
        ORDER BY school_id, priority  -- one lock order for every writer
        ON CONFLICT (school_id, priority)
        DO UPDATE SET open_count = tickets_schoolopencount.open_count + EXCLUDED.open_count;
    ELSIF TG_OP = 'TRUNCATE' THEN
        DELETE FROM tickets_schoolopencount;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER tickets_school_open_count_insert AFTER INSERT ON tickets_ticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tickets_school_open_count_sync();
CREATE TRIGGER tickets_school_open_count_update AFTER UPDATE ON tickets_ticket
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tickets_school_open_count_sync();
CREATE TRIGGER tickets_school_open_count_delete AFTER DELETE ON tickets_ticket
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tickets_school_open_count_sync();
CREATE TRIGGER tickets_school_open_count_truncate AFTER TRUNCATE ON tickets_ticket
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_school_open_count_sync();
INSERT INTO tickets_schoolopencount (school_id, priority, open_count)
    SELECT school_id, priority, count(*) FROM tickets_ticket
    WHERE status IN ('open', 'in_progress', 'waiting') GROUP BY school_id, priority;
"""
DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS tickets_school_open_count_insert ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_school_open_count_update ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_school_open_count_delete ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_school_open_count_truncate ON tickets_ticket;
DROP FUNCTION IF EXISTS tickets_school_open_count_sync();
"""


def create_triggers(apps, schema_editor):
    # Statement-level triggers with transition tables: a bulk update of 1,000 tickets is one small upsert.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGERS)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0014_held_email_and_original_email")]

    operations = [
        migrations.CreateModel(
            name="SchoolOpenCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "priority",
                    models.PositiveSmallIntegerField(choices=[(1, "Low"), (2, "Medium"), (3, "High"), (4, "Urgent")]),
                ),
                ("open_count", models.IntegerField(default=0)),
                (
                    "school",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="tickets.school"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("school", "priority"), name="school_open_count_unique")
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
