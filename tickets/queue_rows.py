"""The queue's table rows, written in Python: the same HTML the template wrote, escaped by format_html.

Fifty rows of ten cells through the template engine (a variable lookup, filter or tag per cell) were most of the
queue page's time; one format string per row costs a small share of that.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from tickets.models import Ticket

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


def time_short(value: datetime) -> SafeString:
    """A <time> saying "Nov 30, 3:04 p.m." in the district's time zone, like |date:"M j, g:i a"."""
    local = timezone.localtime(value)
    noon = gettext("p.m.") if local.hour > 11 else gettext("a.m.")
    label = f"{str(MONTHS_3[local.month]).title()} {local.day}, {local.hour % 12 or 12}:{local.minute:02d} {noon}"
    return format_html('<time datetime="{}">{}</time>', local.isoformat(timespec="seconds"), label)


def _cells(ticket: Ticket, *, now: datetime, old_after: datetime, detail_prefix: str) -> tuple:
    is_old = ticket.created_at < old_after and ticket.is_open
    urgent = ticket.priority == Ticket.Priority.URGENT
    assignee = ticket.assignee
    return (
        "table-danger" if urgent else "table-warning" if is_old else "",
        ticket.pk,
        ticket.pk,
        ticket.number,
        detail_prefix,
        ticket.number,
        ticket.number,
        ticket.subject,
        ticket.school,
        ticket.classroom,
        ticket.ticket_type or "—",
        URGENT if urgent else ticket.get_priority_display(),
        ticket.get_status_display(),
        (assignee.get_full_name() or assignee.get_username()) if assignee else UNASSIGNED,
        age_label(ticket.created_at, now),
        OLD_BADGE if is_old else "",
        time_short(ticket.updated_at),
    )


def queue_rows_html(*, tickets, now: datetime, old_after: datetime, detail_prefix: str) -> SafeString:
    """The <tr> of each ticket on the queue's page (links are `detail_prefix` + number + "/")."""
    return format_html_join(
        "",
        ROW,
        (_cells(ticket, now=now, old_after=old_after, detail_prefix=detail_prefix) for ticket in tickets),
    )
