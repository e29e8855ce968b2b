"""Routing's schools and ticket types now point at district's models; the same tables, so only the state changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("district", "0001_initial"),
        ("routing", "0005_rule_pattern_help_re2"),
    ]

    operations = [
        # The tables stay where they are: only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="deflectionlog",
                    name="school",
                    field=models.ForeignKey(
                        blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to="district.school"
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalroutingrule_ticket_types",
                    name="tickettype",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="district.tickettype",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalstaffmember",
                    name="school",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="district.school",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicaltestingwindow_schools",
                    name="school",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="district.school",
                    ),
                ),
                migrations.AlterField(
                    model_name="routingrule",
                    name="ticket_types",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="Only requests of these types. Leave empty for any type. With keywords too, both must match.",
                        to="district.tickettype",
                    ),
                ),
                migrations.AlterField(
                    model_name="servicerequest",
                    name="school",
                    field=models.ForeignKey(
                        blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to="district.school"
                    ),
                ),
                migrations.AlterField(
                    model_name="staffmember",
                    name="school",
                    field=models.ForeignKey(
                        blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to="district.school"
                    ),
                ),
                migrations.AlterField(
                    model_name="testingwindow",
                    name="schools",
                    field=models.ManyToManyField(
                        blank=True, help_text="Leave empty for every school.", to="district.school"
                    ),
                ),
            ],
        ),
    ]
