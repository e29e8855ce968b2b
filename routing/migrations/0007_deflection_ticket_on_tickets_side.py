"""DeflectionLog.ticket goes: tickets migration 0021 has copied each link to tickets.TicketRoutingLog first, so
routing no longer refers to tickets. Reversed, the column comes back empty and that migration fills it again."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0006_school_and_type_in_district"),
        ("tickets", "0022_ticket_routing_logs"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="deflectionlog",
            name="ticket",
        ),
    ]
