from django.db import transaction
from django.db.models import F

from notifications.services import email_enqueue
from routing.models import RoutingRule
from routing.selectors import testing_window_for_banner
from tickets.attachments import CheckedFile
from tickets.models import Attachment, School, Ticket, TicketNumberCounter, TicketType


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
    routing_note: str = "",
) -> Ticket:
    """Create a ticket with its attachments and queue the requester's receipt."""
    ticket = Ticket(
        number=ticket_number_next(),
        requester_email=requester_email.strip().lower(),
        subject=subject.strip(),
        ticket_type=ticket_type,
        priority=priority,
        school=school,
        classroom=classroom.strip(),
        description=description.strip(),
        overridden_rule=overridden_rule,
        routing_note=routing_note.strip(),
    )
    ticket.full_clean()
    ticket.save()
    for checked in attachments:
        attachment = Attachment(
            ticket=ticket, original_name=checked.original_name, content_type=checked.content_type, size=checked.size
        )
        attachment.file.save("upload", checked.upload, save=False)
        attachment.save()
    email_enqueue(
        to=ticket.requester_email,
        template="notifications/email/ticket_receipt",
        context={
            "ticket": ticket,
            "attachments": list(ticket.attachments.all()),
            "testing_window": testing_window_for_banner(at=ticket.created_at, school_id=ticket.school_id),
        },
        idempotency_key=f"ticket-receipt-{ticket.pk}",
    )
    return ticket
