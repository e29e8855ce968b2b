"""How outages joins ticket creation and the ticket form, without the tickets app importing it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from outages.services import possible_outage_check
from outages.steps import outage_submit_step
from tickets.models import Ticket
from tickets.submit_steps import submit_step_register

submit_step_register(outage_submit_step, carried=("outage_choice",))


@receiver(post_save, sender=Ticket, dispatch_uid="outages-possible-outage-check")
def ticket_saved(sender, instance: Ticket, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        possible_outage_check(ticket=instance)
