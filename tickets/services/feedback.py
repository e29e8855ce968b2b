"""The requester's answer to "Was it solved?" from the closing email."""

from django.db import transaction
from django.utils import timezone

from tickets.models import Ticket


@transaction.atomic
def ticket_feedback_record(*, ticket: Ticket, answer: str, comment: str = "") -> Ticket:
    """Keep the requester's answer to "was it solved?"; a later answer replaces an earlier one."""
    ticket.satisfaction = Ticket.Satisfaction(answer)
    ticket.satisfaction_comment = comment.strip()[:2000]
    ticket.satisfaction_at = timezone.now()
    ticket.save(update_fields=["satisfaction", "satisfaction_comment", "satisfaction_at"])
    return ticket
