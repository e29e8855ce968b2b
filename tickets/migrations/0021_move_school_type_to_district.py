"""School, TicketType and HelpDeskSettings leave tickets for district (state only; the tables stay), and their
content types follow, so the permissions given to groups keep working."""

import django.db.models.deletion
from django.db import migrations, models

MOVED_MODELS = ("school", "tickettype", "helpdesksettings")


def _content_types_move(apps, *, old_app: str, new_app: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        old = content_type.objects.filter(app_label=old_app, model=model)
        if old.exists():
            # A row the new app has already was made by Django after a partial migrate, with only its default
            # permissions; the old row carries the groups' permissions, so it is the one to keep.
            content_type.objects.filter(app_label=new_app, model=model).delete()
            old.update(app_label=new_app)


def content_types_to_district(apps, schema_editor):
    _content_types_move(apps, old_app="tickets", new_app="district")


def content_types_to_tickets(apps, schema_editor):
    _content_types_move(apps, old_app="district", new_app="tickets")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("routing", "0006_school_and_type_in_district"),
        ("district", "0001_initial"),
        ("tickets", "0020_move_mail_models_to_inbound"),
    ]

    operations = [
        # The tables stay where they are: only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="HelpDeskSettings",
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="school",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="district.school"),
                ),
                migrations.AlterField(
                    model_name="schoolopencount",
                    name="school",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="district.school"
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="ticket_type",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="district.tickettype",
                        verbose_name="type",
                    ),
                ),
                migrations.DeleteModel(
                    name="School",
                ),
                migrations.DeleteModel(
                    name="TicketType",
                ),
            ],
        ),
        migrations.RunPython(content_types_to_district, content_types_to_tickets),
    ]
