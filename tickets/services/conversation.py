"""What is said on a ticket: technicians' replies and notes, and what requesters add by email or on My tickets."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from district.attachments import CheckedFile
from helpdesk.email_address import normalize_email
from helpdesk.technicians import user_is_technician
from tickets import signals
from tickets.models import Ticket, TicketEvent
from tickets.reference import person_name
from tickets.search import ticket_search_refresh
from tickets.services.common import attachments_save, email_requester, event_add


@transaction.atomic
def ticket_reply(
    *,
    acting_user,
    ticket: Ticket,
    body: str,
    to: str = "",
    takes: tuple[str, ...] = ("status", "assignee"),
    is_emailed: bool = True,
) -> TicketEvent:
    """Send the requester (or `to`, the requester of a ticket merged into this one) a reply and record it.

    `takes`: what a first answer may set on its own (status, assignee); the composer leaves out what the technician
    chose in the same POST. `is_emailed=False` records it only: the caller tells the requester another way (one
    email per person for an outage's update)."""
    if to and normalize_email(to) != ticket.requester_email:
        return _reply_to_merged_requester(acting_user=acting_user, ticket=ticket, body=body, to=normalize_email(to))
    event = event_add(ticket=ticket, kind=TicketEvent.Kind.REPLY, acting_user=acting_user, body=body.strip())
    now = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
    Ticket.objects.filter(pk=ticket.pk, first_response_at__isnull=True).update(first_response_at=now)
    _reply_takes_the_ticket(acting_user=acting_user, ticket=ticket, takes=takes)
    ticket.refresh_from_db()
    if is_emailed:
        email_requester(ticket=ticket, template="ticket_reply", key=f"ticket-reply-{event.pk}", event=event)
    signals.ticket_replied.send(sender=Ticket, ticket=ticket, event=event, acting_user=acting_user)
    ticket_search_refresh(ticket_ids=[ticket.pk])
    return event


def _reply_takes_the_ticket(*, acting_user, ticket: Ticket, takes: tuple[str, ...]) -> None:
    """A first answer means someone is on it: Open becomes In progress and an unassigned ticket goes to whoever
    replied, so a colleague does not drive to the same school. Each change is on the timeline like a manual one;
    the filtered updates make two technicians replying at once assign it to one of them only."""
    taken = []
    opened = Ticket.objects.filter(pk=ticket.pk, status=Ticket.Status.OPEN)
    if "status" in takes and opened.update(status=Ticket.Status.IN_PROGRESS):
        taken.append(("Status", Ticket.Status.OPEN.label, Ticket.Status.IN_PROGRESS.label))
    unassigned = Ticket.objects.filter(pk=ticket.pk, assignee__isnull=True)
    if "assignee" in takes and user_is_technician(acting_user) and unassigned.update(assignee=acting_user):
        taken.append(("Assignee", "Unassigned", person_name(acting_user)))
    if not taken:
        return
    Ticket.objects.filter(pk=ticket.pk).update(version=F("version") + 1)
    for field_name, old_value, new_value in taken:
        event_add(
            ticket=ticket,
            kind=TicketEvent.Kind.CHANGE,
            acting_user=acting_user,
            body="by the reply",
            field_name=field_name,
            old_value=old_value,
            new_value=new_value,
        )


def _reply_to_merged_requester(*, acting_user, ticket: Ticket, body: str, to: str) -> TicketEvent:
    """Answer the requester of a merged ticket about their own ticket: this ticket's requester never sees it."""
    source = ticket.merged_tickets.filter(requester_email=to).order_by("-pk").first()
    if source is None:
        raise ValueError(f"{to} is not the requester of a ticket merged into {ticket.display_number}")
    event = event_add(
        ticket=ticket, kind=TicketEvent.Kind.REPLY, acting_user=acting_user, body=body.strip(), correspondent=to
    )
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
    # Sent as their own ticket's thread, with its link: nothing of this ticket (subject, link) reaches them.
    email_requester(ticket=source, template="ticket_reply", key=f"ticket-reply-{event.pk}", event=event)
    ticket_search_refresh(ticket_ids=[ticket.pk])
    return event


@transaction.atomic
def ticket_note_add(*, acting_user, ticket: Ticket, body: str) -> TicketEvent:
    """Record an internal note; it is never emailed."""
    event = event_add(ticket=ticket, kind=TicketEvent.Kind.NOTE, acting_user=acting_user, body=body.strip())
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
    signals.ticket_note_added.send(sender=Ticket, ticket=ticket, event=event, acting_user=acting_user)
    ticket_search_refresh(ticket_ids=[ticket.pk])
    return event


def _notify_assignee(*, ticket: Ticket, event: TicketEvent) -> None:
    """Tell whoever listens (the alerts app emails the assignee, or the school's technicians) the requester spoke."""
    signals.ticket_requester_replied.send(sender=Ticket, ticket=ticket, event=event)


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
