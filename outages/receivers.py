"""How outages joins ticket creation and the ticket form, without the tickets app importing it."""

from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from outages.services import possible_outage_check
from outages.steps import outage_submit_step
from tickets.models import Ticket
from tickets.queue_exclusions import queue_exclusion_register
from tickets.submit_steps import submit_step_register

submit_step_register(outage_submit_step, carried=("outage_choice",))
queue_exclusion_register(
    name="hide_in_outage", label="Tickets in an outage", hidden=lambda: Q(outage_link__isnull=False)
)


@receiver(post_save, sender=Ticket, dispatch_uid="outages-possible-outage-check")
def ticket_saved(sender, instance: Ticket, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        possible_outage_check(ticket=instance)
