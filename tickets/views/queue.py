"""The technicians' queue: the filtered list, its CSV export and bulk actions."""

import csv
from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from helpdesk.csv_cells import csv_safe
from helpdesk.technicians import technician_required
from tickets.filters import TicketQueueFilter
from tickets.forms import BulkActionForm
from tickets.models import Ticket
from tickets.queue_rows import queue_rows, rows_by_school
from tickets.reference import person_name
from tickets.selectors import (
    OLD_TICKET_DAYS,
    SCHOOL_RANKING_EXPLAINED,
    school_visit_order,
    ticket_queryset_for_queue,
)
from tickets.services import tickets_bulk_close, tickets_bulk_update

QUEUE_PAGE_SIZE = 50


# The filters of the queue last shown to this technician, so that Next ticket continues the same queue.
LAST_QUEUE_SESSION_KEY = "queue_last_filters"


def _queue_filter(request: HttpRequest, data: QueryDict | None = None) -> TicketQueueFilter:
    return TicketQueueFilter(
        request.GET if data is None else data, queryset=ticket_queryset_for_queue(), request=request
    )


@require_GET
@technician_required
def queue(request: HttpRequest) -> HttpResponse:
    queue_filter = _queue_filter(request)
    page = queue_filter.page(per_page=QUEUE_PAGE_SIZE, number=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    if request.session.get(LAST_QUEUE_SESSION_KEY, "") != query.urlencode():
        request.session[LAST_QUEUE_SESSION_KEY] = query.urlencode()  # written only on a change: no save per page
    rows = queue_rows(
        tickets=page.object_list,
        now=timezone.now(),
        old_after=timezone.now() - timedelta(days=OLD_TICKET_DAYS),
    )
    context = {
        "filter": queue_filter,
        "active_filters": queue_filter.active_filters(),
        "page": page,
        "query_string": query.urlencode(),
        "schools": school_visit_order(now=timezone.now()),
        "ranking_explained": SCHOOL_RANKING_EXPLAINED,
        "bulk_form": BulkActionForm(),
        "rows": rows,
        "rows_by_school": rows_by_school(rows),  # the phone's cards
    }
    return render(request, "tickets/queue.html", context)


@require_GET
@technician_required
def queue_next(request: HttpRequest) -> HttpResponse:
    """After a ticket: the first ticket of the queue the technician came from (same filters, same order)."""
    last = QueryDict(request.session.get(LAST_QUEUE_SESSION_KEY, ""))
    after = request.GET.get("after", "")
    tickets = _queue_filter(request, data=last).qs
    if after.isdigit():
        tickets = tickets.exclude(number=int(after))
    following = tickets.values_list("number", flat=True).first()
    if following is None:
        messages.info(request, "There are no more tickets in this queue. Change the filters to see others.")
        return redirect(f"{reverse('tickets:queue')}?{last.urlencode()}" if last else "tickets:queue")
    return redirect("tickets:detail", number=following)


class _Echo:
    def write(self, value):
        return value


@require_GET
@technician_required
def queue_export(request: HttpRequest) -> StreamingHttpResponse:
    tickets = _queue_filter(request).qs
    writer = csv.writer(_Echo())
    header = [
        "Ticket",
        "Subject",
        "Requester",
        "School",
        "Classroom number",
        "Type",
        "Priority",
        "Status",
        "Assignee",
        "Opened",
        "Last update",
        "Closed",
    ]

    def rows():
        yield writer.writerow(header)
        for ticket in tickets.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    csv_safe(value)
                    for value in (
                        ticket.number,
                        ticket.subject,
                        ticket.requester_email,
                        ticket.school,
                        ticket.classroom,
                        ticket.ticket_type or "",
                        ticket.get_priority_display(),
                        ticket.get_status_display(),
                        (ticket.assignee.get_username() if ticket.assignee else ""),
                        timezone.localtime(ticket.created_at).isoformat(timespec="minutes"),
                        timezone.localtime(ticket.updated_at).isoformat(timespec="minutes"),
                        timezone.localtime(ticket.closed_at).isoformat(timespec="minutes") if ticket.closed_at else "",
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tickets-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


def _bulk_change(action: str, data: dict, user) -> tuple[dict, str]:
    """The fields a bulk action sets, and how its result begins ("Assigned to you: #1201 and #1202.")."""
    if action == "assign_me":
        return {"assignee": user}, "Assigned to you:"
    if action == "assign":
        return {"assignee": data["assignee"]}, f"Assigned to {person_name(data['assignee'])}:"
    if action == "status":
        return {"status": data["status"]}, f"Set to {Ticket.Status(data['status']).label.lower()}:"
    return {"priority": data["priority"]}, f"Set to {Ticket.Priority(data['priority']).label} priority:"


@require_POST
@technician_required
def queue_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkActionForm(request.POST)
    # Back to the same filtered queue; the query is re-encoded, so nothing but query parameters can come through.
    back = f"{reverse('tickets:queue')}?{QueryDict(request.POST.get('return_query', '')).urlencode()}"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    ticket_ids = [ticket.pk for ticket in form.cleaned_data["tickets"]]
    action, data = form.cleaned_data["action"], form.cleaned_data
    if action == "close":
        outcome = tickets_bulk_close(acting_user=request.user, ticket_ids=ticket_ids, resolution=data["message"])
        emailed = " Each requester was emailed your message." if outcome.changed else ""
        messages.success(request, outcome.summary(done="Closed") + emailed)
        return redirect(back)
    changes, done = _bulk_change(action, data, request.user)
    outcome = tickets_bulk_update(acting_user=request.user, ticket_ids=ticket_ids, changes=changes)
    messages.success(request, outcome.summary(done=done))
    return redirect(back)
