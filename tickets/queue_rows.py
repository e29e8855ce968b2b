"""The queue's table rows, written in Python: the same HTML the template wrote, escaped by format_html.

Fifty rows of ten cells through the template engine (a variable lookup, filter or tag per cell) were most of the
queue page's time; one format string per row costs a small share of that.
"""

from datetime import datetime
from html import escape

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from tickets.models import Ticket
from tickets.reference import names_with, schools_kept, technicians_kept, ticket_types_kept

# The columns the rows show: the page reads only these, from the ticket table alone; the school's, type's and
# assignee's names come from tickets.reference (joining three tables cost more to plan than to read 50 rows).
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
)
ROW = (
    '<tr class="{}">'
    '<td><input type="checkbox" class="form-check-input" name="tickets" value="{}" id="pick-{}"'
    ' aria-label="Select ticket #{}"></td>'
    '<td><a href="{}{}/">#{}</a></td>'
    "<td>{}</td>"
    "<td>{}, {}</td>"
    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td>"
    "</tr>\n"
)
URGENT = format_html("<strong>{}</strong>", "Urgent")
UNASSIGNED = format_html('<span class="text-body-secondary">{}</span>', "Unassigned")
OLD_BADGE = format_html(' <span class="badge text-bg-warning">{}</span>', "old")


def age_label(since: datetime, now: datetime) -> str:
    """How long ago, in the largest whole unit: '45 min', '5 h', '12 d' (cheaper than timesince for long tables)."""
    minutes = int((now - since).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


class ShortTimes:
    """Writes <time> elements saying "Nov 30, 3:04 p.m." in the district's time zone, like |date:"M j, g:i a";
    the zone, month names and a.m./p.m. are looked up once per page, not once per row."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.months = {number: str(name).title() for number, name in MONTHS_3.items()}
        self.halves = (gettext("a.m."), gettext("p.m."))

    def __call__(self, value: datetime) -> SafeString:
        local = value.astimezone(self.zone)
        half = self.halves[local.hour > 11]
        label = f"{self.months[local.month]} {local.day}, {local.hour % 12 or 12}:{local.minute:02d} {half}"
        return f'<time datetime="{local.isoformat(timespec="seconds")}">{escape(label)}</time>'


PRIORITY_LABELS = {value: escape(str(label)) for value, label in Ticket.Priority.choices}
STATUS_LABELS = {value: escape(str(label)) for value, label in Ticket.Status.choices}


def _row(ticket: Ticket, *, now: datetime, old_after: datetime, detail_prefix: str, times: ShortTimes, names) -> str:
    """One row's HTML. Every value is escaped here (html.escape, as format_html would) or is our own HTML."""
    is_old = ticket.created_at < old_after and ticket.is_open
    urgent = ticket.priority == Ticket.Priority.URGENT
    school = names.schools.get(ticket.school_id) or str(ticket.school)
    ticket_type = names.ticket_types.get(ticket.ticket_type_id) or str(ticket.ticket_type or "—")
    return ROW.format(
        "table-danger" if urgent else "table-warning" if is_old else "",
        ticket.pk,
        ticket.pk,
        ticket.number,
        detail_prefix,
        ticket.number,
        ticket.number,
        escape(ticket.subject),
        escape(school),
        escape(ticket.classroom),
        escape(ticket_type),
        URGENT if urgent else PRIORITY_LABELS[ticket.priority],
        STATUS_LABELS[ticket.status],
        escape(names.people.get(ticket.assignee_id, "")) if ticket.assignee_id else UNASSIGNED,
        age_label(ticket.created_at, now),
        OLD_BADGE if is_old else "",
        times(ticket.updated_at),
    )


class _Names:
    """Names by pk for one page: the kept reference tables, and any assignee who is no longer a technician."""

    def __init__(self, tickets: list[Ticket]):
        self.schools, self.ticket_types = schools_kept().names, ticket_types_kept().names
        self.people = names_with(technicians_kept().names, (ticket.assignee_id for ticket in tickets))


def queue_rows_html(*, tickets, now: datetime, old_after: datetime, detail_prefix: str) -> SafeString:
    """The <tr> of each ticket on the queue's page (links are `detail_prefix` + number + "/").

    Written with str.format and html.escape rather than format_html: escaping every one of 17 cells of 50 rows
    through Django's helpers was most of the rows' time. Each value from a person is escaped in _row.
    """
    times, tickets = ShortTimes(), list(tickets)
    names = _Names(tickets)
    prefix = escape(detail_prefix)
    rows = "".join(
        _row(ticket, now=now, old_after=old_after, detail_prefix=prefix, times=times, names=names) for ticket in tickets
    )
    return mark_safe(rows)  # nosec B308 B703: every value is escaped in _row  # noqa: S308
