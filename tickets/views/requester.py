"""My tickets: requesters follow their own tickets without a password."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from helpdesk.client_ip import client_ip
from helpdesk.ratelimits import posted_values, rate_limited, rate_limited_response
from submissions.once import submit_once
from tickets.forms import AddInformationForm, FeedbackForm, RequesterEmailForm
from tickets.links import ticket_for_feedback_token, ticket_for_link_token, ticket_for_reopen_token
from tickets.models import Ticket
from tickets.requester_access import (
    requester_sign_in_link_send,
    requester_sign_in_link_use,
    requester_sign_in_link_valid,
    requester_ticket,
    requester_tickets,
)
from tickets.selectors import pending_addition_for_token
from tickets.services import (
    pending_addition_confirm,
    pending_addition_ignore,
    ticket_feedback_record,
    ticket_followed,
    ticket_reopen,
    ticket_requester_addition_add,
)
from tickets.views.access import requester_sign_in, requester_ticket_link_remember, requester_verification

SIGN_IN_SENT_SESSION_KEY = "my_sign_in_sent_to"
SIGNED_OUT_MESSAGE = "You are signed out. To see your tickets again, open My tickets and sign in."


def _sign_in_limited(request: HttpRequest, hit) -> HttpResponse:
    form = RequesterEmailForm(initial=posted_values(request))
    return rate_limited_response(request, hit, template="tickets/my_sign_in.html", context={"form": form})


@require_http_methods(["GET", "POST"])
@submit_once
@rate_limited("my_tickets_sign_in", page=_sign_in_limited)
def my_tickets(request: HttpRequest) -> HttpResponse:
    # The list needs the address proved (one-time link or district sign-on); a receipt's link opens one ticket only.
    email = requester_verification(request).email
    if email:
        return render(request, "tickets/my_tickets.html", {"email": email, "tickets": requester_tickets(email=email)})
    form = RequesterEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        requester_sign_in_link_send(email=form.cleaned_data["email"], ip=client_ip(request) or None)
        # A redirect, so that a repeat of this POST shows the same page and sends nothing (submit_once).
        request.session[SIGN_IN_SENT_SESSION_KEY] = form.cleaned_data["email"]
        return redirect("tickets:my_sign_in_sent")
    return render(request, "tickets/my_sign_in.html", {"form": form})


def my_sign_in_sent(request: HttpRequest) -> HttpResponse:
    """The same answer whether or not the address has tickets, and whether or not a limit was reached."""
    email = request.session.get(SIGN_IN_SENT_SESSION_KEY)
    if not email:
        return redirect("tickets:my_tickets")
    return render(request, "tickets/my_sign_in_sent.html", {"email": email})


@require_http_methods(["GET", "POST"])
@rate_limited("link_confirm")
def my_sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a Sign in button, so mail scanners that open links do not use them up."""
    if request.method == "POST":
        email = requester_sign_in_link_use(token=token)
        if email:
            requester_sign_in(request, email, keep_signed_in=request.POST.get("keep_signed_in") == "yes")
            return redirect("tickets:my_tickets")
    elif requester_sign_in_link_valid(token=token):
        return render(request, "tickets/my_sign_in_confirm.html")
    return render(request, "tickets/my_sign_in_expired.html", status=410)


@require_http_methods(["GET", "POST"])
@rate_limited("link_confirm")
def my_ticket_link(request: HttpRequest, token: str) -> HttpResponse:
    """A receipt's link: it opens this one ticket (read and Add information), never the address's other tickets."""
    ticket = ticket_for_link_token(token)
    if ticket is None:
        return render(request, "tickets/my_ticket_link_expired.html", status=410)
    if request.method == "POST":
        requester_ticket_link_remember(request, ticket)
        return redirect("tickets:my_ticket", public_id=ticket.public_id)
    return render(request, "tickets/my_sign_in_confirm.html", {"ticket": ticket})


def _my_ticket_context(*, ticket: Ticket, form, email: str, added: bool = False, can_add: bool = True) -> dict:
    public_events = [event for event in ticket.events.select_related("author") if event.is_public]
    return {"ticket": ticket, "events": public_events, "form": form, "added": added, "can_add": can_add, "email": email}


def _add_information_limited(request: HttpRequest, hit, *, public_id) -> HttpResponse:
    verification = requester_verification(request)
    ticket = requester_ticket(verification=verification, public_id=public_id)
    if ticket is None:
        return rate_limited_response(request, hit)
    form = AddInformationForm(initial=posted_values(request))
    can_add = ticket_followed(ticket=ticket).is_open
    context = _my_ticket_context(ticket=ticket, form=form, email=verification.email, can_add=can_add)
    return rate_limited_response(request, hit, template="tickets/my_ticket.html", context=context)


@require_http_methods(["GET", "POST"])
@submit_once
@rate_limited("my_ticket_add", page=_add_information_limited)
def my_ticket(request: HttpRequest, public_id) -> HttpResponse:
    verification = requester_verification(request)
    if not verification.email and not verification.ticket_ids:
        return redirect("tickets:my_tickets")
    ticket = requester_ticket(verification=verification, public_id=public_id)
    if ticket is None:
        raise Http404("No such ticket")
    # After a merge the words go to the ticket it joined (as an internal note when that is someone else's).
    can_add = ticket_followed(ticket=ticket).is_open
    form = AddInformationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and can_add and form.is_valid():
        ticket_requester_addition_add(
            ticket=ticket,
            sender_email=ticket.requester_email,
            body=form.cleaned_data["body"],
            attachments=form.cleaned_data["attachments"],
        )
        request.session["my_ticket_added"] = str(ticket.public_id)
        return redirect("tickets:my_ticket", public_id=ticket.public_id)
    added = request.session.pop("my_ticket_added", None) == str(ticket.public_id)
    context = _my_ticket_context(ticket=ticket, form=form, email=verification.email, added=added, can_add=can_add)
    return render(request, "tickets/my_ticket.html", context)


@require_http_methods(["GET", "POST"])
@rate_limited("link_confirm")
def pending_addition_view(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed confirmation: GET only shows what would be added, so mail scanners that open links add nothing."""
    addition = pending_addition_for_token(token=token)
    if addition is None:
        return render(request, "tickets/addition_done.html", status=410)
    ticket_number = addition.ticket.number
    if request.method == "POST" and request.POST.get("action") == "ignore":
        pending_addition_ignore(token=token)
        return render(request, "tickets/addition_done.html", {"ignored": True, "ticket_number": ticket_number})
    if request.method == "POST" and pending_addition_confirm(token=token) is not None:
        return render(request, "tickets/addition_done.html", {"added": True, "ticket_number": ticket_number})
    can_add = ticket_followed(ticket=addition.ticket).is_open
    context = {"addition": addition, "ticket": addition.ticket, "can_add": can_add}
    return render(request, "tickets/addition_confirm.html", context)


@require_POST
def my_sign_out(request: HttpRequest) -> HttpResponse:
    """The header's Sign out: forget the address, the district sign-on and every ticket opened by link."""
    request.session.flush()  # a new, empty session: nothing of the person stays on a shared computer
    messages.success(request, SIGNED_OUT_MESSAGE)
    return redirect("tickets:home")


@require_http_methods(["GET", "POST"])
@rate_limited("link_confirm")
def ticket_reopen_view(request: HttpRequest, token: str) -> HttpResponse:
    """The Reopen this ticket link: GET only shows a button, so mail scanners that open links reopen nothing."""
    ticket = ticket_for_reopen_token(token)
    if ticket is None:
        return render(request, "tickets/reopen_expired.html", status=410)
    if request.method == "POST" and not ticket.is_open:
        ticket_reopen(ticket=ticket, reason="The requester reopened the ticket from the link in their email.")
        return render(request, "tickets/reopen_done.html", {"ticket": ticket})
    return render(request, "tickets/reopen_confirm.html", {"ticket": ticket})


@require_http_methods(["GET", "POST"])
@rate_limited("link_confirm")
def ticket_feedback_view(request: HttpRequest, token: str, answer: str) -> HttpResponse:
    """The closing email's "Was it solved?" links: GET shows the answer to confirm, so scanners record nothing."""
    ticket = ticket_for_feedback_token(token)
    if ticket is None or answer not in Ticket.Satisfaction.values:
        return render(request, "tickets/feedback_expired.html", status=410)
    form = FeedbackForm(request.POST or None, initial={"answer": answer})
    if request.method == "POST" and form.is_valid():
        ticket_feedback_record(ticket=ticket, answer=form.cleaned_data["answer"], comment=form.cleaned_data["comment"])
        return render(request, "tickets/feedback_done.html", {"ticket": ticket})
    return render(request, "tickets/feedback_form.html", {"ticket": ticket, "form": form})
