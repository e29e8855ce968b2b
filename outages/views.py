"""The outage pages: declaring, the outage's page with updates and resolving, the list, and the public thank-you."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.ratelimits import rate_limited
from helpdesk.technicians import technician_required
from outages.email_step import affected_token_read
from outages.forms import (
    OutageDeclareForm,
    OutageLinkForm,
    OutageReportRangeForm,
    OutageResolveForm,
    OutageUpdateForm,
)
from outages.models import Outage, OutagePerson
from outages.reports import outages_report
from outages.selectors import (
    declare_candidates,
    outage_for_technician,
    outage_for_ticket,
    outage_linked_tickets,
    outages_recent,
    possible_outage_pending,
)
from outages.services import (
    OutageError,
    outage_declare,
    outage_person_add,
    outage_resolve,
    outage_tickets_link,
    outage_update_post,
    possible_outage_dismiss,
)
from submissions.once import submit_once
from tickets.selectors import ticket_for_technician


def _declare_initial(request: HttpRequest) -> tuple[dict, list[int], list[int], int | None]:
    """What the form starts with: a detection's school, type and tickets, or one ticket's, or nothing."""
    source = request.POST if request.method == "POST" else request.GET
    detection_id = source.get("detection", "")
    detection = possible_outage_pending(detection_id=int(detection_id)) if detection_id.isdigit() else None
    if detection is not None:
        school_ids, type_id = [detection.school_id], detection.ticket_type_id
        ticked = list(detection.ticket_numbers)
        title = f"{detection.ticket_type} problem at {detection.school}"
        return (
            {"title": title, "schools": school_ids, "ticket_type": type_id, "detection": detection.pk},
            ticked,
            school_ids,
            type_id,
        )
    number = source.get("ticket", "")
    ticket = ticket_for_technician(number=int(number)) if number.isdigit() else None
    if ticket is not None:
        initial = {
            "title": ticket.subject,
            "schools": [ticket.school_id],
            "ticket_type": ticket.ticket_type_id,
            "ticket": ticket.number,
        }
        return initial, [ticket.number], [ticket.school_id], ticket.ticket_type_id
    return {}, [], [], None


@require_http_methods(["GET", "POST"])
@submit_once
@technician_required
def outage_declare_view(request: HttpRequest) -> HttpResponse:
    initial, ticked_numbers, school_ids, type_id = _declare_initial(request)
    candidates = declare_candidates(school_ids=school_ids, ticket_type_id=type_id)
    initial["tickets"] = [ticket.pk for ticket in candidates if ticket.number in ticked_numbers]
    form = OutageDeclareForm(request.POST or None, initial=initial, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outage = outage_declare(
                acting_user=request.user,
                title=data["title"],
                message=data["message"],
                schools=list(data["schools"]),
                is_district_wide=data["is_district_wide"],
                ticket_type=data["ticket_type"],
                reported_by=data["reported_by"],
                ticket_ids=data["tickets"],
                detection_id=data["detection"],
            )
        except OutageError as error:
            messages.warning(request, str(error))
            return redirect(error.outage or "tickets:queue")
        linked = outage.links.count()
        messages.success(
            request,
            f"Outage declared. {linked} ticket{'s' if linked != 1 else ''} linked; each requester was emailed once.",
        )
        return redirect(outage)
    return render(request, "outages/declare.html", {"form": form})


def _outage_or_404(public_id) -> Outage:
    outage = outage_for_technician(public_id=public_id)
    if outage is None:
        raise Http404("No such outage")
    return outage


def _link_candidates(outage: Outage) -> list:
    if not outage.is_open:
        return []
    school_ids = [] if outage.is_district_wide else list(outage.schools.values_list("pk", flat=True))
    return declare_candidates(school_ids=school_ids, ticket_type_id=outage.ticket_type_id)


def _render_outage(request: HttpRequest, outage: Outage, *, status: int = 200, **forms) -> HttpResponse:
    candidates = _link_candidates(outage)
    context = {
        "link_form": forms.get("link_form") or (OutageLinkForm(candidates=candidates) if candidates else None),
        "outage": outage,
        "tickets": outage_linked_tickets(outage=outage),
        "updates": list(outage.updates.select_related("author")),
        "update_form": forms.get("update_form") or OutageUpdateForm(),
        "resolve_form": forms.get("resolve_form") or OutageResolveForm(),
    }
    return render(request, "outages/detail.html", context, status=status)


@require_GET
@technician_required
def outage_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _render_outage(request, _outage_or_404(public_id))


@require_POST
@submit_once
@technician_required
def outage_update_view(request: HttpRequest, public_id) -> HttpResponse:
    outage = _outage_or_404(public_id)
    form = OutageUpdateForm(request.POST)
    if not form.is_valid():
        return _render_outage(request, outage, status=400, update_form=form)
    try:
        outage_update_post(acting_user=request.user, outage=outage, body=form.cleaned_data["body"])
    except OutageError as error:
        messages.warning(request, str(error))
        return redirect(outage)
    messages.success(request, "Update posted. Everyone linked or affected was emailed once.")
    return redirect(outage)


@require_POST
@submit_once
@technician_required
def outage_link_view(request: HttpRequest, public_id) -> HttpResponse:
    """Link tickets that arrived after the outage was declared; each new requester is emailed once."""
    outage = _outage_or_404(public_id)
    form = OutageLinkForm(request.POST, candidates=_link_candidates(outage))
    is_valid = form.is_valid()
    if outage.is_open and not is_valid:
        return _render_outage(request, outage, status=400, link_form=form)
    try:  # the service refuses a resolved outage: resolved before this page was sent, or by a colleague just now
        ticket_ids = form.cleaned_data.get("tickets", [])
        linked = outage_tickets_link(acting_user=request.user, outage=outage, ticket_ids=ticket_ids)
    except OutageError as error:
        messages.warning(request, str(error))
        return redirect(outage)
    messages.success(
        request, f"Linked {len(linked)} ticket{'s' if len(linked) != 1 else ''}; each requester was emailed once."
    )
    return redirect(outage)


@require_POST
@submit_once
@technician_required
def outage_resolve_view(request: HttpRequest, public_id) -> HttpResponse:
    outage = _outage_or_404(public_id)
    form = OutageResolveForm(request.POST)
    if not form.is_valid():
        return _render_outage(request, outage, status=400, resolve_form=form)
    try:
        outage_resolve(acting_user=request.user, outage=outage, resolution=form.cleaned_data["resolution"])
    except OutageError as error:
        messages.warning(request, str(error))
        return redirect(outage)
    messages.success(request, "Outage resolved. Its tickets are closed and everyone was emailed once.")
    return redirect(outage)


@require_POST
@technician_required
def possible_outage_dismiss_view(request: HttpRequest, detection_id: int) -> HttpResponse:
    possible_outage_dismiss(detection_id=detection_id)
    messages.success(request, "Marked as not an outage. It no longer shows in the queue.")
    return redirect("tickets:queue")


@require_GET
@technician_required
def outage_list(request: HttpRequest) -> HttpResponse:
    return render(request, "outages/list.html", {"outages": outages_recent()})


@require_GET
@technician_required
def outage_reports(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    default = {"start": today - timedelta(weeks=8), "end": today}
    form = OutageReportRangeForm(request.GET or None, initial=default)
    chosen = form.cleaned_data if form.is_valid() else default
    report = outages_report(start=chosen["start"], end=chosen["end"], tz=timezone.get_current_timezone())
    return render(request, "outages/reports.html", {"form": form, **report})


@require_GET
@technician_required
def outage_for_ticket_view(request: HttpRequest, number: int) -> HttpResponse:
    """The ticket page's link to the ticket's outage (the page itself asks nothing to show it)."""
    outage = outage_for_ticket(number=number)
    if outage is None:
        raise Http404("This ticket is not linked to an outage")
    return redirect(outage)


@require_http_methods(["GET", "POST"])
@rate_limited("link_confirm")
def outage_affected_by_email(request: HttpRequest, token: str) -> HttpResponse:
    """The email's “I'm affected too” link: a button to confirm (mail scanners open links, and must add nobody)."""
    found = affected_token_read(token)
    if found is None:
        return render(request, "outages/affected_expired.html", status=404)
    outage, email = found
    if request.method == "POST":
        outage_person_add(outage=outage, email=email, source=OutagePerson.Source.EMAIL)
        return redirect("outages:affected", public_id=outage.public_id)
    return render(request, "outages/affected_confirm.html", {"outage": outage})


@require_GET
def outage_affected(request: HttpRequest, public_id) -> HttpResponse:
    """After "I'm affected too": no ticket was made; they will hear of the outage's updates."""
    outage = Outage.objects.filter(public_id=public_id).first()
    if outage is None:
        raise Http404("No such outage")
    return render(request, "outages/affected.html", {"outage": outage})
