"""The technicians' ticket page: reply, note, change, take, close, merge, reopen, and attachment downloads."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from helpdesk.technicians import technician_required
from submissions.once import submit_once
from tickets.device_selectors import ticket_device_panel
from tickets.forms import (
    TicketCloseForm,
    TicketComposerForm,
    TicketMergeForm,
    TicketUpdateForm,
)
from tickets.models import Ticket
from tickets.queue_rows import ShortTimes
from tickets.reference import (
    canned_responses_kept,
    names_with,
    schools_kept,
    technicians_kept,
    ticket_types_kept,
)
from tickets.selectors import (
    attachment_for_technician,
    merge_candidates,
    requester_spoke_last,
    ticket_attachments,
    ticket_correspondents,
    ticket_for_technician,
    ticket_timeline,
)
from tickets.services import (
    TicketChangedError,
    TicketMergeError,
    ticket_close,
    ticket_compose,
    ticket_reopen,
    ticket_update,
    tickets_merge,
)
from tickets.views.articles import composer_article_links
from tickets.views.devices import loaner_close_reminder

CHANGED_WARNING = (
    "Another technician changed this ticket after you opened it, so your change was not saved. "
    "Check the current values below and save again if your change is still needed."
)


def _ticket_or_404(number: int) -> Ticket:
    ticket = ticket_for_technician(number=number)
    if ticket is None:
        raise Http404("No such ticket")
    return ticket


def _composer_form(ticket: Ticket, data=None, **kwargs) -> TicketComposerForm:
    return TicketComposerForm(data, ticket=ticket, correspondents=ticket_correspondents(ticket=ticket), **kwargs)


def _render_ticket(
    request: HttpRequest, ticket: Ticket, status: int = 200, merge_query: str = "", merge_found=None, **forms
) -> HttpResponse:
    canned = canned_responses_kept()
    composer_initial = {"status": ticket.status, "assignee": ticket.assignee_id, "version": ticket.version}
    canned_id = request.GET.get("canned")
    if canned_id:
        composer_initial["body"] = next((body for pk, _, body in canned if str(pk) == canned_id), "")
    article_links = composer_article_links(request, composer_initial)  # helparticles: Insert article link
    timeline = ticket_timeline(ticket=ticket)
    opened_iso, opened_label = ShortTimes()(ticket.created_at)  # written as the timeline writes its times
    context = {
        "ticket": ticket,
        "school_name": schools_kept().names.get(ticket.school_id) or ticket.school.name,
        "ticket_type_name": ticket_types_kept().names.get(ticket.ticket_type_id, ""),
        "assignee_name": names_with(technicians_kept().names, [ticket.assignee_id]).get(ticket.assignee_id, ""),
        "has_form_errors": any(form.errors for form in forms.values()),
        "timeline": timeline,
        "opened_iso": opened_iso,
        "opened_label": opened_label,
        "requester_spoke_last": requester_spoke_last(timeline),
        "attachments": ticket_attachments(ticket=ticket),
        "canned_responses": canned,
        "article_links": article_links,
        "composer_form": forms.get("composer_form") or _composer_form(ticket, initial=composer_initial),
        "update_form": forms.get("update_form") or TicketUpdateForm(initial=TicketUpdateForm.initial_for(ticket)),
        "close_form": forms.get("close_form") or TicketCloseForm(initial={"version": ticket.version}),
        "merge_errors": forms["merge_form"].errors.get("target_number", []) if "merge_form" in forms else [],
        "merge_query": merge_query,
        "merge_found": merge_found,
        "device_panel": ticket_device_panel(ticket=ticket),
    }
    return render(request, "tickets/ticket_detail.html", context, status=status)


@require_GET
@technician_required
def ticket_detail(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket_or_404(number)
    merge_query = request.GET.get("merge_q", "")[:200]
    found = merge_candidates(ticket=ticket, query=merge_query) if merge_query.strip() else None
    return _render_ticket(request, ticket, merge_query=merge_query, merge_found=found)


@require_POST
@submit_once
@technician_required
def ticket_compose_view(request: HttpRequest, number: int) -> HttpResponse:
    """The composer's one POST: the reply or note and the status and assignee beside it, saved together."""
    ticket = _ticket_or_404(number)
    form = _composer_form(ticket, request.POST)
    if not form.is_valid():
        return _render_ticket(request, ticket, status=400, composer_form=form)
    to = form.cleaned_data["to"] or ticket.requester_email
    try:
        saved = ticket_compose(
            acting_user=request.user,
            ticket=ticket,
            expected_version=form.cleaned_data["version"],
            is_note=form.is_note,
            body=form.cleaned_data["body"],
            to=to,
            changes=form.changes(),
        )
    except TicketChangedError:
        messages.warning(request, CHANGED_WARNING)
        return _render_ticket(request, _ticket_or_404(number), status=409, composer_form=form)
    said = []
    if saved.message is not None:
        said.append("Note added. It was not emailed." if form.is_note else f"Reply sent to {to}.")
    if saved.changes:
        said.append("Changed " + "; ".join(f"{e.field_name.lower()} to {e.new_value}" for e in saved.changes) + ".")
    messages.success(request, " ".join(said))
    return redirect(ticket)


@require_POST
@submit_once
@technician_required
def ticket_update_view(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket_or_404(number)
    form = TicketUpdateForm(request.POST)
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
@submit_once
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
@submit_once
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
    loaner_close_reminder(request, ticket)
    return redirect(ticket)


@require_POST
@submit_once
@technician_required
def ticket_merge_view(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket_or_404(number)
    form = TicketMergeForm(request.POST)
    if form.is_valid() and request.POST.get("confirm") != "yes":
        # A merge cannot be undone: say what will happen, to which two tickets, before doing it.
        context = {"ticket": ticket, "target": form.cleaned_data["target_number"]}
        return render(request, "tickets/merge_confirm.html", context)
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
@submit_once
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
