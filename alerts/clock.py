"""Response targets on tickets: each ticket's due time (stored on Ticket.due_at for the queue), and the lead's alert.

The school time itself is counted in alerts.school_time; this module reads the ticket and the targets and writes.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from alerts.models import Kind, SchoolDay, TicketClock
from alerts.school_time import add_school_time, school_time_between
from alerts.selectors import response_targets_kept, school_calendar
from alerts.services import alert_to_users
from tickets.models import Ticket


def _hours(value) -> datetime.timedelta:
    return datetime.timedelta(seconds=float(value) * 3600)


@transaction.atomic(savepoint=False)  # inside the ticket service's transaction: no savepoint queries
def ticket_clock_refresh(
    *, ticket: Ticket, now: datetime.datetime | None = None, is_new: bool = False
) -> datetime.datetime | None:
    """Recompute the ticket's due times from its priority's target and the school time it has waited; store them.

    While it waits on the requester the clock is paused (due is empty); the school time it waited is added back when
    it moves on. The first reply's due time counts until someone answers, then the resolution's."""
    now = now or timezone.now()
    if is_new:  # just made by ticket_create: its fields are as saved and it has no clock yet
        clock = TicketClock(ticket=ticket)
    else:
        ticket = Ticket.objects.only("pk", "created_at", "status", "priority", "first_response_at").get(pk=ticket.pk)
        clock, _ = TicketClock.objects.select_for_update().get_or_create(ticket=ticket)
    calendar = school_calendar(around=ticket.created_at)
    waiting = ticket.status == Ticket.Status.WAITING
    if waiting and clock.paused_at is None:
        clock.paused_at = now
    elif not waiting and clock.paused_at is not None:
        clock.waited += school_time_between(clock.paused_at, now, calendar)
        clock.paused_at = None
    target = response_targets_kept().get(ticket.priority)
    if target is None:
        clock.first_reply_due_at = clock.resolve_due_at = None
    else:
        first_reply, resolve = (_hours(hours) + clock.waited for hours in target)
        clock.first_reply_due_at = add_school_time(ticket.created_at, first_reply, calendar)
        clock.resolve_due_at = add_school_time(ticket.created_at, resolve, calendar)
    clock.save(force_insert=is_new)
    due = None
    if ticket.status in (Ticket.Status.OPEN, Ticket.Status.IN_PROGRESS):
        due = clock.first_reply_due_at if ticket.first_response_at is None else clock.resolve_due_at
    Ticket.objects.filter(pk=ticket.pk).update(due_at=due)
    return due


def ticket_clocks_start(*, limit: int = 500, now: datetime.datetime | None = None) -> int:
    """Start the clock of open tickets that have none: tickets from before response targets were installed, or
    loaded without the ticket services (demo data). Those already past due are not reported to the lead: their
    targets did not exist when they arrived."""
    now = now or timezone.now()
    open_statuses = (Ticket.Status.OPEN, Ticket.Status.IN_PROGRESS, Ticket.Status.WAITING)
    missing = (
        Ticket.objects.filter(status__in=open_statuses)
        .exclude(pk__in=TicketClock.objects.values("ticket_id"))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    started = 0
    for ticket_id in list(missing):
        with transaction.atomic():
            due = ticket_clock_refresh(ticket=Ticket(pk=ticket_id), now=now)
            if due is not None and due < now:
                TicketClock.objects.filter(ticket_id=ticket_id).update(overdue_alerted_at=now)
        started += 1
    return started


def tickets_overdue_alert(*, now: datetime.datetime | None = None) -> int:
    """Tell the lead technician, once per ticket, about each open ticket past its due time."""
    now = now or timezone.now()
    lead = SchoolDay.load().lead_technician
    if lead is None or not lead.is_active:
        return 0
    overdue = Ticket.objects.filter(status__in=(Ticket.Status.OPEN, Ticket.Status.IN_PROGRESS), due_at__lt=now).exclude(
        pk__in=TicketClock.objects.filter(overdue_alerted_at__isnull=False).values("ticket_id")
    )
    count = 0
    for ticket in overdue.select_related("school").order_by("due_at")[:200]:
        with transaction.atomic():
            missed = "first reply" if ticket.first_response_at is None else "resolution"
            alert_to_users(
                kind=Kind.OVERDUE,
                ticket=ticket,
                users=[lead],
                summary=f"Overdue: its {missed} target passed at {timezone.localtime(ticket.due_at):%a %b %-d, %H:%M}.",
                now=now,
            )
            TicketClock.objects.filter(ticket=ticket).update(overdue_alerted_at=now)
            count += 1
    return count
