"""The waiting clock: remind requesters who have not answered, then close their tickets."""

from django.db import transaction
from django.utils import timezone

from district.models import HelpDeskSettings
from routing.selectors import business_days_after, closed_days_between
from tickets.models import Ticket
from tickets.services.common import email_requester
from tickets.services.status import TicketChangedError, ticket_close


def _business_days_passed(*, since, days: int, today) -> bool:
    """Whether `days` business days (weekends and the district's closed days skipped) have passed since `since`."""
    # Closed days after today could only push the date later, and a later date is not due anyway.
    return business_days_after(start=since, days=days, closed=closed_days_between(start=since, end=today)) <= today


def waiting_tickets_follow_up(*, now=None) -> tuple[int, int]:
    """Remind requesters who have not answered, then close the ticket if they still do not; return both counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    choice = HelpDeskSettings.load()
    reminded = closed = 0
    waiting = Ticket.objects.filter(status=Ticket.Status.WAITING, waiting_since__isnull=False).order_by("pk")
    for ticket in waiting:
        if ticket.waiting_reminded_at is None:
            since = timezone.localdate(ticket.waiting_since)
            if _business_days_passed(since=since, days=choice.waiting_reminder_business_days, today=today):
                with transaction.atomic():
                    Ticket.objects.filter(pk=ticket.pk).update(waiting_reminded_at=now)
                    email_requester(
                        ticket=ticket,
                        template="ticket_waiting_reminder",
                        key=f"waiting-reminder-{ticket.pk}-{ticket.waiting_since:%Y%m%d%H%M%S}",
                        close_after_days=choice.waiting_close_business_days,
                    )
                reminded += 1
        elif _business_days_passed(
            since=timezone.localdate(ticket.waiting_reminded_at), days=choice.waiting_close_business_days, today=today
        ):
            try:
                ticket_close(
                    acting_user=None,
                    ticket=ticket,
                    resolution=(
                        "We closed this ticket because we did not hear back from you after our reminder. "
                        "If you still need help, use the Reopen link below."
                    ),
                    expected_status=Ticket.Status.WAITING,
                )
            except TicketChangedError:
                continue  # answered or changed since this run read it
            closed += 1
    return reminded, closed
