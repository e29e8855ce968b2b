# The two models move here from the tickets app (tickets 0014 made their tables). Only Django's picture of them
# changes: the tables keep their names and rows, so the database is left alone (SeparateDatabaseAndState).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("tickets", "0019_requester_addresses_without_plus_tags"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OriginalEmail",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("message_id", models.CharField(db_index=True, max_length=255)),
                        ("message", models.BinaryField()),
                        ("received_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                    ],
                    options={"db_table": "tickets_originalemail"},
                ),
                migrations.CreateModel(
                    name="HeldEmail",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("from_address", models.CharField(max_length=254)),
                        ("subject", models.CharField(blank=True, max_length=255)),
                        (
                            "text",
                            models.TextField(blank=True, help_text="What the sender wrote, without the quoted history."),
                        ),
                        ("reason", models.CharField(help_text="Why the sender could not be verified.", max_length=255)),
                        (
                            "status",
                            models.CharField(
                                choices=[("held", "Held"), ("accepted", "Accepted"), ("discarded", "Discarded")],
                                db_index=True,
                                default="held",
                                max_length=10,
                            ),
                        ),
                        ("received_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        ("outcome", models.CharField(blank=True, help_text="What accepting it did.", max_length=255)),
                        (
                            "decided_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "ticket",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="held_emails",
                                to="tickets.ticket",
                            ),
                        ),
                        (
                            "original",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="held",
                                to="inbound.originalemail",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "held email",
                        "verbose_name_plural": "held email",
                        "db_table": "tickets_heldemail",
                        "ordering": ["-received_at", "-pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
