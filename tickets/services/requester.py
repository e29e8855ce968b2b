"""Writes for what requesters do: add information (by email or on My tickets) and answer “Was it solved?”."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.services import email_enqueue
from tickets.attachments import CheckedFile
from tickets.models import Ticket, TicketEvent
from tickets.search import ticket_search_refresh
from tickets.services.common import attachments_save


def _notify_assignee(*, ticket: Ticket, event: TicketEvent) -> None:
    if ticket.assignee and ticket.assignee.email:
        email_enqueue(
            to=ticket.assignee.email,
            template="notifications/email/technician_requester_replied",
            context={"ticket": ticket, "event": event},
            idempotency_key=f"assignee-notice-{event.pk}",
        )


@transaction.atomic
def ticket_requester_reply_add(*, ticket: Ticket, body: str, attachments: list[CheckedFile] = ()) -> TicketEvent:
    """Record what the requester added (by email or on My tickets), with files, and tell the assignee."""
    event = TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.REQUESTER_REPLY, body=body.strip())
    attachments_save(ticket=ticket, attachments=attachments)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
    # The answer the ticket was waiting for: a status change, so a technician's form opened before it warns.
    Ticket.objects.filter(pk=ticket.pk, status=Ticket.Status.WAITING).update(
        status=Ticket.Status.IN_PROGRESS, waiting_since=None, waiting_reminded_at=None, version=F("version") + 1
    )
    _notify_assignee(ticket=ticket, event=event)
    ticket_search_refresh(ticket_ids=[ticket.pk])
    return event


@transaction.atomic
def ticket_feedback_record(*, ticket: Ticket, answer: str, comment: str = "") -> Ticket:
    """Keep the requester's answer to "was it solved?"; a later answer replaces an earlier one."""
    ticket.satisfaction = Ticket.Satisfaction(answer)
    ticket.satisfaction_comment = comment.strip()[:2000]
    ticket.satisfaction_at = timezone.now()
    ticket.save(update_fields=["satisfaction", "satisfaction_comment", "satisfaction_at"])
    return ticket
