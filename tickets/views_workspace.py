"""The technicians' workspace: the queue, the ticket page, attachment downloads and reports."""

import csv
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tickets.filters import TicketQueueFilter
from tickets.forms import (
    BulkActionForm,
    ReportRangeForm,
    TicketCloseForm,
    TicketMergeForm,
    TicketNoteForm,
    TicketReplyForm,
    TicketUpdateForm,
)
from tickets.models import Ticket
from tickets.selectors import (
    SCHOOL_RANKING_EXPLAINED,
    attachment_for_technician,
    canned_response_list,
    report_for_range,
    school_visit_order,
    technician_list,
    ticket_attachments,
    ticket_for_technician,
    ticket_queryset_for_queue,
    ticket_timeline,
    user_is_technician,
)
from tickets.services import (
    TicketChangedError,
    TicketMergeError,
    ticket_close,
    ticket_note_add,
    ticket_reopen,
    ticket_reply,
    ticket_update,
    tickets_bulk_close,
    tickets_bulk_update,
    tickets_merge,
)

QUEUE_PAGE_SIZE = 50
CHANGED_WARNING = (
    "Another technician changed this ticket after you opened it, so your change was not saved. "
    "Check the current values below and save again if your change is still needed."
)


def technician_required(view):
    """Let in technicians and superusers; send anonymous users to log in; refuse everyone else."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_is_technician(request.user):
            raise PermissionDenied("Only technicians can open the help desk workspace.")
        return view(request, *args, **kwargs)

    return wrapped


def _queue_filter(request: HttpRequest) -> TicketQueueFilter:
    return TicketQueueFilter(request.GET, queryset=ticket_queryset_for_queue(), request=request)


@require_GET
@technician_required
def queue(request: HttpRequest) -> HttpResponse:
    queue_filter = _queue_filter(request)
    page = queue_filter.page(per_page=QUEUE_PAGE_SIZE, number=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    technicians = technician_list()
    context = {
        "filter": queue_filter,
        "page": page,
        "query_string": query.urlencode(),
        "schools": school_visit_order(now=timezone.now()),
        "ranking_explained": SCHOOL_RANKING_EXPLAINED,
        "bulk_form": BulkActionForm(technicians=technicians),
        "now": timezone.now(),
        "old_after": timezone.now() - timedelta(days=7),
        "detail_prefix": reverse("tickets:queue"),  # rows link to /queue/<number>/ without a reverse() per row
    }
    return render(request, "tickets/queue.html", context)


class _Echo:
    def write(self, value):
        return value


def _csv_safe(value) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


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
                    _csv_safe(value)
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


@require_POST
@technician_required
def queue_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkActionForm(request.POST, technicians=technician_list())
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
        count = tickets_bulk_close(acting_user=request.user, ticket_ids=ticket_ids, resolution=data["message"])
        messages.success(request, f"Closed {count} ticket(s); each requester was emailed your message.")
        return redirect(back)
    changes = {
        "assign_me": {"assignee": request.user},
        "assign": {"assignee": data["assignee"]},
        "status": {"status": data["status"]},
        "priority": {"priority": data["priority"]},
    }[action]
    count = tickets_bulk_update(acting_user=request.user, ticket_ids=ticket_ids, changes=changes)
    messages.success(request, f"Updated {count} ticket(s).")
    return redirect(back)


def _ticket_or_404(number: int) -> Ticket:
    ticket = ticket_for_technician(number=number)
    if ticket is None:
        raise Http404("No such ticket")
    return ticket


def _render_ticket(request: HttpRequest, ticket: Ticket, status: int = 200, **forms) -> HttpResponse:
    technicians = technician_list()
    canned = list(canned_response_list())
    reply_initial = {}
    canned_id = request.GET.get("canned")
    if canned_id:
        reply_initial["body"] = next((c.body for c in canned if str(c.pk) == canned_id), "")
    context = {
        "ticket": ticket,
        "has_form_errors": any(form.errors for form in forms.values()),
        "timeline": ticket_timeline(ticket=ticket),
        "attachments": ticket_attachments(ticket=ticket),
        "canned_responses": canned,
        "reply_form": forms.get("reply_form") or TicketReplyForm(initial=reply_initial),
        "note_form": forms.get("note_form") or TicketNoteForm(),
        "update_form": forms.get("update_form")
        or TicketUpdateForm(initial=TicketUpdateForm.initial_for(ticket), technicians=technicians),
        "close_form": forms.get("close_form") or TicketCloseForm(initial={"version": ticket.version}),
        "merge_form": forms.get("merge_form") or TicketMergeForm(),
    }
    return render(request, "tickets/ticket_detail.html", context, status=status)


@require_GET
@technician_required
def ticket_detail(request: HttpRequest, number: int) -> HttpResponse:
    return _render_ticket(request, _ticket_or_404(number))


@require_POST
@technician_required
def ticket_reply_view(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket_or_404(number)
    form = TicketReplyForm(request.POST)
    if not form.is_valid():
        return _render_ticket(request, ticket, status=400, reply_form=form)
    ticket_reply(acting_user=request.user, ticket=ticket, body=form.cleaned_data["body"])
    messages.success(request, f"Reply sent to {ticket.requester_email}.")
    return redirect(ticket)


@require_POST
@technician_required
def ticket_note_view(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket_or_404(number)
    form = TicketNoteForm(request.POST)
    if not form.is_valid():
        return _render_ticket(request, ticket, status=400, note_form=form)
    ticket_note_add(acting_user=request.user, ticket=ticket, body=form.cleaned_data["body"])
    messages.success(request, "Note added. It was not emailed.")
    return redirect(ticket)


@require_POST
@technician_required
def ticket_update_view(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket_or_404(number)
    form = TicketUpdateForm(request.POST, technicians=technician_list())
    if not form.is_valid():
        return _render_ticket(request, ticket, status=400, update_form=form)
    try:
        events = ticket_update(
            acting_user=request.user,
            ticket=ticket,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        )
    except TicketChangedError:
        messages.warning(request, CHANGED_WARNING)
        return _render_ticket(request, _ticket_or_404(number), status=409)
    messages.success(request, f"Saved {len(events)} change(s)." if events else "Nothing was changed.")
    return redirect(ticket)


@require_POST
@technician_required
def ticket_take_view(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket_or_404(number)
    try:
        ticket_update(
            acting_user=request.user,
            ticket=ticket,
            expected_version=int(request.POST.get("version", ticket.version)),
            changes={"assignee": request.user},
        )
    except (TicketChangedError, ValueError):
        messages.warning(request, CHANGED_WARNING)
        return _render_ticket(request, _ticket_or_404(number), status=409)
    messages.success(request, f"Ticket {ticket.display_number} is assigned to you.")
    return redirect(ticket)


@require_POST
@technician_required
def ticket_close_view(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket_or_404(number)
    form = TicketCloseForm(request.POST)
    if not form.is_valid():
        return _render_ticket(request, ticket, status=400, close_form=form)
    try:
        ticket_close(
            acting_user=request.user,
            ticket=ticket,
            resolution=form.cleaned_data["resolution"],
            expected_version=form.cleaned_data["version"],
        )
    except TicketChangedError:
        messages.warning(request, CHANGED_WARNING)
        return _render_ticket(request, _ticket_or_404(number), status=409)
    messages.success(request, f"Ticket {ticket.display_number} is closed; {ticket.requester_email} was emailed.")
    return redirect(ticket)


@require_POST
@technician_required
def ticket_merge_view(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket_or_404(number)
    form = TicketMergeForm(request.POST)
    if form.is_valid():
        try:
            target = tickets_merge(acting_user=request.user, source=ticket, target=form.cleaned_data["target_number"])
        except TicketMergeError as error:
            form.add_error("target_number", str(error))
        else:
            messages.success(request, f"Merged {ticket.display_number} into {target.display_number}.")
            return redirect(target)
    return _render_ticket(request, ticket, status=400, merge_form=form)


@require_POST
@technician_required
def ticket_reopen_by_technician(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket_or_404(number)
    ticket_reopen(ticket=ticket, acting_user=request.user, reason="Reopened by a technician.")
    messages.success(request, f"Ticket {ticket.display_number} is open again.")
    return redirect(ticket)


@require_GET
@technician_required
def attachment_download(request: HttpRequest, number: int, attachment_id: int) -> FileResponse:
    attachment = attachment_for_technician(number=number, attachment_id=attachment_id)
    if attachment is None:
        raise Http404("No such file")
    # Always a download with the detected type: a file is never rendered inside our site.
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_GET
@technician_required
def reports(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ReportRangeForm(request.GET or None, initial={"start": today - timedelta(weeks=8), "end": today})
    start, end = (
        (form.cleaned_data["start"], form.cleaned_data["end"])
        if form.is_valid()
        else (
            today - timedelta(weeks=8),
            today,
        )
    )
    return render(request, "tickets/reports.html", {"form": form, **report_for_range(start=start, end=end)})
