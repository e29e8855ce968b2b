"""A ticket's routing logs are linked from the tickets side (TicketRoutingLog), copied from DeflectionLog.ticket,
which routing migration 0007 then drops; reversed, the links are copied back before the table goes."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def links_from_routing(apps, schema_editor):
    deflection_log = apps.get_model("routing", "DeflectionLog")
    ticket_routing_log = apps.get_model("tickets", "TicketRoutingLog")
    pairs = deflection_log.objects.filter(ticket__isnull=False).values_list("pk", "ticket_id").iterator(chunk_size=2000)
    ticket_routing_log.objects.bulk_create(
        (ticket_routing_log(deflection_id=pk, ticket_id=ticket_id) for pk, ticket_id in pairs), batch_size=2000
    )


def links_to_routing(apps, schema_editor):
    deflection_log = apps.get_model("routing", "DeflectionLog")
    ticket_routing_log = apps.get_model("tickets", "TicketRoutingLog")
    link = ticket_routing_log.objects.filter(deflection_id=OuterRef("pk")).values("ticket_id")[:1]
    deflection_log.objects.update(ticket_id=Subquery(link))


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0006_school_and_type_in_district"),
        ("tickets", "0021_move_school_type_to_district"),
    ]

    operations = [
        migrations.CreateModel(
            name="TicketRoutingLog",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "deflection",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="routing.deflectionlog"
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="routing_logs", to="tickets.ticket"
                    ),
                ),
            ],
        ),
        migrations.RunPython(links_from_routing, links_to_routing, elidable=False),
    ]
