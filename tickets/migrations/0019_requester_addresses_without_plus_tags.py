"""Tickets stored before one-address normalisation: ms.hill+0@ (district domain) becomes ms.hill@.

Forward only in effect: the +tag cannot be told back from the plain address, so reversing leaves the addresses as
they are (the help desk works the same with either).
"""

from django.conf import settings
from django.db import migrations
from django.db.models import Q


def drop_plus_tags(apps, schema_editor):
    from helpdesk.email_address import normalize_email

    Ticket = apps.get_model("tickets", "Ticket")
    domain = f"@{settings.HELPDESK_REQUESTER_DOMAIN}"
    tagged = Ticket.objects.filter(Q(requester_email__contains="+") & Q(requester_email__iendswith=domain))
    for ticket in tagged.only("pk", "requester_email").iterator():
        plain = normalize_email(ticket.requester_email)
        if plain != ticket.requester_email:
            Ticket.objects.filter(pk=ticket.pk).update(requester_email=plain)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0018_ticketevent_is_quote_unseparated")]

    operations = [migrations.RunPython(drop_plus_tags, migrations.RunPython.noop)]
