"""A ticket's birth: its number, the ticket itself from the public form, and its routing logs."""

from django.db import transaction
from django.db.models import F

from district.attachments import CheckedFile
from district.models import School, TicketType
from helpdesk.email_address import normalize_email
from notifications.services import email_enqueue
from routing.models import RoutingRule
from routing.selectors import testing_window_for_banner
from tickets import signals
from tickets.links import ticket_link_url
from tickets.models import Ticket, TicketNumberCounter, TicketRoutingLog
from tickets.search import ticket_search_refresh
from tickets.services.common import attachments_save


def ticket_number_next() -> int:
    """Hand out the next ticket number; the counter's row lock keeps concurrent submissions from sharing one."""
    updated = TicketNumberCounter.objects.filter(pk=1).update(last_number=F("last_number") + 1)
    if not updated:  # first ticket on a database the seed migration did not reach
        TicketNumberCounter.objects.get_or_create(pk=1)
        TicketNumberCounter.objects.filter(pk=1).update(last_number=F("last_number") + 1)
    return TicketNumberCounter.objects.values_list("last_number", flat=True).get(pk=1)


@transaction.atomic
def ticket_create(
    *,
    requester_email: str,
    subject: str,
    school: School,
    classroom: str,
    description: str,
    ticket_type: TicketType | None = None,
    priority: int = Ticket.Priority.LOW,
    attachments: list[CheckedFile] = (),
    overridden_rule: RoutingRule | None = None,
    changed_by_rule: RoutingRule | None = None,
    routing_note: str = "",
    possible_duplicate_of: Ticket | None = None,
) -> Ticket:
    """Create a ticket with its attachments and queue the requester's receipt."""
    if changed_by_rule is not None:
        # A rule that lets the ticket through may raise its priority (never lower it) and brief the technician.
        priority = max(priority, changed_by_rule.raise_priority_to or 0)
        routing_note = changed_by_rule.technician_note
    ticket = Ticket(
        number=ticket_number_next(),
        requester_email=normalize_email(requester_email),
        subject=subject.strip(),
        ticket_type=ticket_type,
        priority=priority,
        school=school,
        classroom=classroom.strip(),
        description=description.strip(),
        overridden_rule=overridden_rule,
        routing_note=routing_note.strip(),
        possible_duplicate_of=possible_duplicate_of,
    )
    ticket.full_clean(exclude=["school"], validate_unique=False)  # the form checked the school; ids are unique
    ticket.save()
    saved = attachments_save(ticket=ticket, attachments=attachments)
    email_enqueue(
        to=ticket.requester_email,
        template="notifications/email/ticket_receipt",
        context={
            "ticket": ticket,
            "attachments": saved,
            "testing_window": testing_window_for_banner(at=ticket.created_at, school_id=ticket.school_id),
        },
        secrets={"ticket_url": ticket_link_url(ticket)},
        idempotency_key=f"ticket-receipt-{ticket.pk}",
        thread=f"ticket:{ticket.number}",
    )
    return _ticket_announced(ticket)


def _ticket_announced(ticket: Ticket) -> Ticket:
    """Index the new ticket and tell listeners (alerts) it exists, inside the creating transaction."""
    signals.ticket_created.send(sender=Ticket, ticket=ticket, acting_user=None)
    ticket_search_refresh(ticket_ids=[ticket.pk])
    return ticket


def ticket_routing_logs_link(*, ticket: Ticket, deflections: list) -> None:
    """Link the routing logs of the rules a new ticket went through to it; a log already linked moves to it."""
    TicketRoutingLog.objects.bulk_create(
        [TicketRoutingLog(ticket=ticket, deflection=deflection) for deflection in deflections],
        update_conflicts=True,
        unique_fields=["deflection"],
        update_fields=["ticket"],
    )
