"""The queue's rows as plain values: names resolved and labels chosen here, so the template loops without lookups.

The page reads only ROW_COLUMNS, from the ticket table alone; the school's, type's and assignee's names come from
tickets.reference (joining three tables cost more to plan than to read 50 rows). templates/tickets/queue.html
writes each row, escaped by the template engine like any page.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext

from helpdesk.links import link
from tickets.models import Ticket, TicketEvent
from tickets.reference import names_with, schools_kept, technicians_kept, ticket_types_kept

ROW_COLUMNS = (
    "id",
    "number",
    "subject",
    "school_id",
    "classroom",
    "ticket_type_id",
    "priority",
    "status",
    "assignee_id",
    "created_at",
    "updated_at",
    "first_response_at",
    "due_at",
)
# The requester's own messages; the queue annotates each ticket with the kind of its last public event.
PRIORITY_LABELS = dict(Ticket.Priority.choices)
STATUS_LABELS = dict(Ticket.Status.choices)


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One ticket as the queue shows it."""

    pk: int
    number: int
    url: str  # the ticket page
    subject: str
    school_id: int
    school: str
    classroom: str
    school_and_room: str  # "Crenshaw Elementary School, 12": one lookup for the cell and its title
    ticket_type: str
    priority: str
    is_urgent: bool
    status: str
    assignee: str  # empty: unassigned
    age: str
    is_old: bool
    updated_iso: str  # for <time datetime>
    updated_label: str  # "Nov 30, 3:04 p.m.", as |date:"M j, g:i a" says it
    # Signals: the requester spoke last; the ticket waits on the requester; nobody has replied to it yet.
    is_requester_reply_last: bool
    is_waiting: bool
    is_new: bool
    facts: str  # the phone card's line: "Medium · Open · Unassigned · 3 d · Room 104"
    due: str = ""  # "2 h left", "Overdue", "Paused" (waiting on the requester), or empty (no target, closed)
    is_overdue: bool = False

    @property
    def row_class(self) -> str:
        return "table-danger" if self.is_urgent else "table-warning" if self.is_old else ""


def age_label(since: datetime, now: datetime) -> str:
    """How long ago, in the largest whole unit: '45 min', '5 h', '12 d'."""
    minutes = int((now - since).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


def due_label(due_at: datetime | None, now: datetime, *, is_waiting: bool) -> str:
    """The Due cell from the stored due time (the alerts app counts it in school hours): time left, or Overdue."""
    if is_waiting:
        return "Paused"
    if due_at is None:
        return ""
    if due_at <= now:
        return "Overdue"
    return f"{age_label(now, due_at)} left"


class ShortTimes:
    """The district's time zone, month names and a.m./p.m. looked up once per page, not once per row: the queue's
    rows and the ticket page's timeline (“Dec 3, 9:05 a.m.”, as the date filter's "M j, g:i a" writes it)."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.months = {number: str(name).title() for number, name in MONTHS_3.items()}
        self.halves = (gettext("a.m."), gettext("p.m."))

    def __call__(self, value: datetime) -> tuple[str, str]:
        local = value.astimezone(self.zone)
        label = f"{self.months[local.month]} {local.day}, {local.hour % 12 or 12}:{local.minute:02d}"
        return local.isoformat(timespec="seconds"), f"{label} {self.halves[local.hour > 11]}"


def queue_rows(*, tickets, now: datetime, old_after: datetime) -> list[QueueRow]:
    """The rows of one queue page, with every name looked up once for the page."""
    tickets, times = list(tickets), ShortTimes()
    schools, ticket_types = schools_kept().names, ticket_types_kept().names
    people = names_with(technicians_kept().names, (ticket.assignee_id for ticket in tickets))
    return [_row(ticket, schools, ticket_types, people, times, now=now, old_after=old_after) for ticket in tickets]


def _row(ticket, schools, ticket_types, people, times, *, now, old_after) -> QueueRow:
    assignee = people.get(ticket.assignee_id, "") if ticket.assignee_id else ""
    age, school = age_label(ticket.created_at, now), schools.get(ticket.school_id) or str(ticket.school)
    due = due_label(ticket.due_at, now, is_waiting=ticket.status == Ticket.Status.WAITING) if ticket.is_open else ""
    return QueueRow(
        pk=ticket.pk,
        number=ticket.number,
        url=link("tickets:detail", ticket.number),  # reversed once per process (helpdesk.links), not per row
        subject=ticket.subject,
        school_id=ticket.school_id,
        school=school,
        classroom=ticket.classroom,
        school_and_room=f"{school}, {ticket.classroom}",
        ticket_type=ticket_types.get(ticket.ticket_type_id) or str(ticket.ticket_type or "—"),
        priority=PRIORITY_LABELS[ticket.priority],
        is_urgent=ticket.priority == Ticket.Priority.URGENT,
        status=STATUS_LABELS[ticket.status],
        assignee=assignee,
        age=age,
        is_old=ticket.created_at < old_after and ticket.is_open,
        **dict(zip(("updated_iso", "updated_label"), times(ticket.updated_at), strict=True)),
        is_requester_reply_last=getattr(ticket, "last_public_kind", None) in TicketEvent.REQUESTER_KINDS,
        is_waiting=ticket.status == Ticket.Status.WAITING,
        is_new=ticket.first_response_at is None and ticket.is_open,
        # One string, not five template lookups per card: the phone's cards are a second rendering of the rows.
        facts=" · ".join(
            (PRIORITY_LABELS[ticket.priority], STATUS_LABELS[ticket.status], assignee or "Unassigned", age)
        )
        + f" · Room {ticket.classroom}"
        + (f" · Due: {due}" if due else ""),
        due=due,
        is_overdue=ticket.is_open and ticket.due_at is not None and ticket.due_at <= now,
    )


@dataclass(frozen=True, slots=True)
class SchoolRows:
    """One school's rows of the page, for the phone's cards grouped by school."""

    school_id: int
    school: str
    rows: list[QueueRow]


def rows_by_school(rows: list[QueueRow]) -> list[SchoolRows]:
    """The page's rows grouped by school, in the page's order: the school of the most urgent ticket first."""
    groups: dict[int, SchoolRows] = {}
    for row in rows:
        groups.setdefault(row.school_id, SchoolRows(row.school_id, row.school, [])).rows.append(row)
    return list(groups.values())
