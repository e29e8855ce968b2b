"""Writes for what requesters do: add information (by email or on My tickets) and answer “Was it solved?”."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from district.attachments import CheckedFile
from helpdesk.email_address import normalize_email
from notifications.services import email_enqueue
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


def ticket_followed(*, ticket: Ticket) -> Ticket:
    """The ticket a requester's words belong on: a merged ticket's go to the ticket it was merged into."""
    seen = set()
    while ticket.merged_into_id and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = Ticket.objects.select_related("assignee", "merged_into").get(pk=ticket.merged_into_id)
    return ticket


@transaction.atomic
def ticket_requester_addition_add(
    *, ticket: Ticket, sender_email: str, body: str, attachments: list[CheckedFile] = ()
) -> TicketEvent:
    """Add what a requester sent about `ticket` (by email or on My tickets) where it now lives.

    After a merge, the surviving ticket may belong to someone else: then it is an internal note marked with who
    sent it, so one requester never reads another's words.
    """
    target = ticket_followed(ticket=ticket)
    sender_email = normalize_email(sender_email)
    if sender_email == target.requester_email:
        return ticket_requester_reply_add(ticket=target, body=body, attachments=attachments)
    event = TicketEvent.objects.create(
        ticket=target,
        kind=TicketEvent.Kind.NOTE,
        correspondent=sender_email,
        body=f"From {sender_email}, the requester of merged ticket {ticket.display_number}:\n\n{body.strip()}",
    )
    attachments_save(ticket=target, attachments=attachments)
    Ticket.objects.filter(pk=target.pk).update(updated_at=timezone.now())
    _notify_assignee(ticket=target, event=event)
    ticket_search_refresh(ticket_ids=[target.pk])
    return event


@transaction.atomic
def ticket_feedback_record(*, ticket: Ticket, answer: str, comment: str = "") -> Ticket:
    """Keep the requester's answer to "was it solved?"; a later answer replaces an earlier one."""
    ticket.satisfaction = Ticket.Satisfaction(answer)
    ticket.satisfaction_comment = comment.strip()[:2000]
    ticket.satisfaction_at = timezone.now()
    ticket.save(update_fields=["satisfaction", "satisfaction_comment", "satisfaction_at"])
    return ticket
