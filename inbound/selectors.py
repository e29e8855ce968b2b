"""Reads for email that arrived at the help desk mailbox: held email and the originals of replies."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from inbound.models import HeldEmail, OriginalEmail
from tickets.models import Ticket, TicketEvent


def held_email_list(*, status: str = HeldEmail.Status.HELD) -> QuerySet:
    return HeldEmail.objects.filter(status=status).select_related("ticket", "decided_by")


def ticket_has_held_email() -> Exists:
    """Whether a ticket has email waiting for a decision: a flag on the ticket page's own query (TICKET_PAGE_FLAGS)."""
    return Exists(HeldEmail.objects.filter(ticket=OuterRef("pk"), status=HeldEmail.Status.HELD))


def held_emails_for_ticket(*, ticket: Ticket) -> list[HeldEmail]:
    if not getattr(ticket, "has_held_email", True):  # known from the ticket's own query (ticket_for_technician)
        return []
    return list(HeldEmail.objects.filter(ticket=ticket, status=HeldEmail.Status.HELD).order_by("received_at", "pk"))


def original_email_for_ticket(*, number: int, original_id: int) -> OriginalEmail | None:
    """The whole email, only through a ticket it added to or was held for."""
    return (
        OriginalEmail.objects.filter(pk=original_id)
        .filter(Q(held__ticket__number=number) | Q(pk__in=_originals_on_ticket(number)))
        .first()
    )


def original_email_of_held(*, held_email_id: int) -> OriginalEmail | None:
    return OriginalEmail.objects.filter(held__pk=held_email_id).first()


def _originals_on_ticket(number: int) -> QuerySet:
    return TicketEvent.objects.filter(ticket__number=number, original_email__isnull=False).values("original_email")


def held_email_decided_recently(*, limit: int = 20) -> QuerySet:
    """The last held emails technicians accepted or discarded, with who and when."""
    decided = HeldEmail.objects.exclude(status=HeldEmail.Status.HELD).select_related("ticket", "decided_by")
    return decided.order_by("-decided_at", "-pk")[:limit]
