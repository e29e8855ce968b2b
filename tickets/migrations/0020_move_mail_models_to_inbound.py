# OriginalEmail and HeldEmail now belong to the inbound app (inbound 0001). Their tables and rows stay as they are:
# this forgets them in tickets' picture of the models, points TicketEvent.original_email at inbound's, and moves their
# content types so the admin permissions groups were given (view held email, ...) keep working.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q

MOVED_MODELS = ("heldemail", "originalemail")


def _content_types_move(apps, *, from_label: str, to_label: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    for model in MOVED_MODELS:
        if not content_type.objects.filter(app_label=from_label, model=model).exists():
            continue  # a new database: post_migrate makes the content type under its new app
        # A migrate run back and forth leaves a fresh copy under the new label too (made by post_migrate). Drop it
        # only while nobody was given its permissions; otherwise keep both rather than lose a grant.
        fresh = content_type.objects.filter(app_label=to_label, model=model)
        granted = permission.objects.filter(content_type__in=fresh).filter(
            Q(group__isnull=False) | Q(user__isnull=False)
        )
        if granted.exists():
            continue
        fresh.delete()
        content_type.objects.filter(app_label=from_label, model=model).update(app_label=to_label)


def content_types_to_inbound(apps, schema_editor):
    _content_types_move(apps, from_label="tickets", to_label="inbound")


def content_types_to_tickets(apps, schema_editor):
    _content_types_move(apps, from_label="inbound", to_label="tickets")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("inbound", "0001_initial"),
        ("tickets", "0019_requester_addresses_without_plus_tags"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ticketevent",
                    name="original_email",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="For replies by email: the whole message as it arrived, before the quote was cut.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="inbound.originalemail",
                    ),
                ),
                migrations.DeleteModel(name="HeldEmail"),
                migrations.DeleteModel(name="OriginalEmail"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_inbound, content_types_to_tickets),
    ]
