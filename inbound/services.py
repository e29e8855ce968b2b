"""Writes for email that arrives at the help desk mailbox: replies, bounces, originals and held email."""

from django.db import transaction
from django.utils import timezone

from district.attachments import CheckedFile
from inbound.models import HeldEmail, OriginalEmail
from notifications.models import InboundEmail
from tickets.models import Ticket, TicketEvent
from tickets.services import ticket_requester_addition_add


def original_email_store(*, message_id: str, raw: bytes) -> OriginalEmail:
    """Keep an email whole, so technicians can download what arrived."""
    return OriginalEmail.objects.create(message_id=message_id[:255], message=raw)


@transaction.atomic
def ticket_email_reply_add(
    *,
    ticket: Ticket,
    body: str,
    attachments: list[CheckedFile],
    original: OriginalEmail | None,
    sender_email: str = "",
    is_quote_unseparated: bool = False,
) -> TicketEvent:
    """Add a reply that came by email, linked to the whole email as it arrived.

    From the requester of a ticket merged into someone else's, it lands there as an internal note marked with them.
    """
    event = ticket_requester_addition_add(
        ticket=ticket, sender_email=sender_email or ticket.requester_email, body=body, attachments=attachments
    )
    if original is not None or is_quote_unseparated:
        TicketEvent.objects.filter(pk=event.pk).update(
            original_email=original, is_quote_unseparated=is_quote_unseparated
        )
        event.original_email, event.is_quote_unseparated = original, is_quote_unseparated
    return event


def ticket_after_close_reply_record(
    *, ticket: Ticket, body: str, original: OriginalEmail | None, is_quote_unseparated: bool = False
) -> TicketEvent:
    """Record a reply to a closed ticket on its timeline without opening it."""
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.AFTER_CLOSE,
        body=body,
        original_email=original,
        is_quote_unseparated=is_quote_unseparated,
    )


@transaction.atomic
def ticket_bounce_record(*, ticket: Ticket) -> TicketEvent:
    """Mark that email to the requester bounced, for technicians."""
    Ticket.objects.filter(pk=ticket.pk).update(is_requester_email_undeliverable=True)
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.NOTE,
        body=f"Email to {ticket.requester_email} bounced: the requester may not receive updates.",
    )


def inbound_email_record(
    *, message_id: str, from_address: str, subject: str, outcome: str, ticket_number: int | None, detail: str
) -> InboundEmail:
    """Log what was done with a message; its unique Message-ID stops a second processing."""
    return InboundEmail.objects.create(
        message_id=message_id,
        from_address=from_address[:254],
        subject=subject[:255],
        outcome=outcome,
        ticket_number=ticket_number,
        detail=detail[:2000],
    )


def held_email_create(
    *, original: OriginalEmail, from_address: str, subject: str, ticket: Ticket | None, text: str, reason: str
) -> HeldEmail:
    """Hold an email whose sender was not verified: it changes nothing until a technician accepts it."""
    return HeldEmail.objects.create(
        original=original,
        from_address=from_address[:254],
        subject=subject[:255],
        ticket=ticket,
        text=text,
        reason=reason[:255],
    )


def held_email_decided(*, held: HeldEmail, acting_user, status: str, outcome: str = "") -> HeldEmail:
    """Record who accepted or discarded a held email, and when."""
    held.status, held.decided_by, held.decided_at, held.outcome = status, acting_user, timezone.now(), outcome[:255]
    held.save(update_fields=["status", "decided_by", "decided_at", "outcome"])
    return held


@transaction.atomic
def held_email_discard(*, acting_user, held_email_id: int) -> HeldEmail | None:
    """Discard a held email; None when it is no longer held (another technician decided first)."""
    held = HeldEmail.objects.select_for_update().filter(pk=held_email_id, status=HeldEmail.Status.HELD).first()
    if held is None:
        return None
    return held_email_decided(held=held, acting_user=acting_user, status=HeldEmail.Status.DISCARDED)
