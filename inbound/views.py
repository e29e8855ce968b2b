"""Technicians' pages for email that arrived by the mailbox: held email, and the originals of emailed replies."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from helpdesk.technicians import technician_required
from inbound.models import OriginalEmail
from inbound.processing import held_email_accept
from inbound.selectors import (
    held_email_decided_recently,
    held_email_list,
    original_email_for_ticket,
    original_email_of_held,
)
from inbound.services import held_email_discard
from submissions.once import submit_once

ALREADY_DECIDED = "Another technician already accepted or discarded this email, so nothing was changed."


@require_GET
@technician_required
def held_email_list_view(request: HttpRequest) -> HttpResponse:
    context = {"held_emails": held_email_list(), "decided_emails": held_email_decided_recently()}
    return render(request, "inbound/held_email_list.html", context)


@require_POST
@submit_once
@technician_required
def held_email_accept_view(request: HttpRequest, held_email_id: int) -> HttpResponse:
    result = held_email_accept(acting_user=request.user, held_email_id=held_email_id)
    if result is None:
        messages.warning(request, ALREADY_DECIDED)
    else:
        messages.success(request, f"Accepted. {result.describe()}.")
    return _back(request)


@require_POST
@submit_once
@technician_required
def held_email_discard_view(request: HttpRequest, held_email_id: int) -> HttpResponse:
    held = held_email_discard(acting_user=request.user, held_email_id=held_email_id)
    if held is None:
        messages.warning(request, ALREADY_DECIDED)
    else:
        messages.success(request, f"Discarded the email from {held.from_address}. It changed nothing.")
    return _back(request)


@require_GET
@technician_required
def held_email_download(request: HttpRequest, held_email_id: int) -> HttpResponse:
    original = original_email_of_held(held_email_id=held_email_id)
    if original is None:
        raise Http404("No such email")
    return _eml_response(original, f"held-email-{held_email_id}.eml")


@require_GET
@technician_required
def original_email_download(request: HttpRequest, number: int, original_id: int) -> HttpResponse:
    original = original_email_for_ticket(number=number, original_id=original_id)
    if original is None:
        raise Http404("No such email")
    return _eml_response(original, f"ticket-{number}-email-{original_id}.eml")


def _eml_response(original: OriginalEmail, filename: str) -> HttpResponse:
    # Always a download: the email's HTML is never rendered inside our site.
    response = HttpResponse(bytes(original.message), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the ticket page the button was on, or to the held email list (never to an address from the form)."""
    number = request.POST.get("ticket_number", "")
    if number.isdigit():
        return redirect("tickets:detail", number=int(number))
    return redirect(reverse("inbound:held_email_list"))
