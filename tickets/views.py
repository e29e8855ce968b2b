from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from routing.selectors import request_form_lead_times
from routing.views import ticket_created_routed, ticket_form_routed
from tickets.forms import FeedbackForm, TicketSubmitForm
from tickets.links import ticket_for_feedback_token, ticket_for_reopen_token
from tickets.models import Ticket
from tickets.pending_uploads import pending_uploads_stash
from tickets.requester_access import DISTRICT_ACCOUNT_SESSION_KEY
from tickets.requester_access import SESSION_KEY as REQUESTER_SESSION_KEY
from tickets.requester_fixed import requester_field_fix
from tickets.selectors import requester_open_tickets_ranked, ticket_for_confirmation
from tickets.services import ticket_create, ticket_feedback_record, ticket_reopen, ticket_submission_add_to

SUBMITTED_SESSION_KEY = "submitted_ticket_ids"
ADDED_SESSION_KEY = "added_to_ticket_ids"
# Routing answers the person already gave, carried through the possible-duplicates step.
CARRIED_ROUTING_FIELDS = ("routing_override", "routing_rule_seen", "routing_deflection")
SUBMITTED_SESSION_LIMIT = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "tickets/home.html", {"lead_times": request_form_lead_times()})


def policy(request: HttpRequest) -> HttpResponse:
    return render(request, "tickets/policy.html")


def _remember_submitted(request: HttpRequest, ticket: Ticket, *, key: str = SUBMITTED_SESSION_KEY) -> None:
    """Only this browser may see the confirmation page; the link itself is unguessable too."""
    submitted = request.session.get(key, [])
    request.session[key] = [*submitted, str(ticket.public_id)][-SUBMITTED_SESSION_LIMIT:]


@require_http_methods(["GET", "POST"])
def ticket_submit(request: HttpRequest) -> HttpResponse:
    form = TicketSubmitForm(request.POST or None, request.FILES or None)
    district, signed_in = request.session.get(DISTRICT_ACCOUNT_SESSION_KEY), request.session.get(REQUESTER_SESSION_KEY)
    requester_field_fix(form, district=district, signed_in=signed_in)  # signed in with a district account
    routing = {}
    if request.method == "POST" and form.is_valid():
        fields = form.ticket_fields()
        # "If you have not received an email indicating your ticket has been closed, please do not submit another."
        open_tickets = requester_open_tickets_ranked(
            email=fields["requester_email"], subject=fields["subject"], description=fields["description"]
        )
        choice = request.POST.get("duplicate_choice", "")
        target = next((ticket for ticket in open_tickets if choice == f"add:{ticket.number}"), None)
        if target is not None:
            ticket_submission_add_to(
                ticket=target,
                subject=fields["subject"],
                description=fields["description"],
                school=fields["school"],
                classroom=fields["classroom"],
                attachments=fields["attachments"],
            )
            # A separate key: adding to a ticket must never open that ticket's full confirmation page, since
            # anyone can type anyone's address into the form.
            _remember_submitted(request, target, key=ADDED_SESSION_KEY)
            return redirect("tickets:added", public_id=target.public_id)
        if open_tickets and choice != "new":
            context = {
                "form": form,
                "open_tickets": open_tickets,
                "show_subjects": request.session.get(REQUESTER_SESSION_KEY) == fields["requester_email"],
                "pending_uploads": pending_uploads_stash(files=fields["attachments"]),
                "carried_routing": {key: request.POST.getlist(key) for key in CARRIED_ROUTING_FIELDS},
            }
            return render(request, "tickets/ticket_form.html", context)
        ticket = ticket_create(**fields, possible_duplicate_of=open_tickets[0] if open_tickets else None)
        ticket_created_routed(request, form, ticket)
        _remember_submitted(request, ticket)
        return redirect("tickets:submitted", public_id=ticket.public_id)
    if form.is_bound and form.routing_match:
        # A rule says this request belongs elsewhere: log it, and send the person on if they chose to.
        routing = ticket_form_routed(request, form)
        if isinstance(routing, HttpResponse):
            return routing
    return render(request, "tickets/ticket_form.html", {"form": form, **routing})


def ticket_submitted(request: HttpRequest, public_id) -> HttpResponse:
    ticket = ticket_for_confirmation(
        public_id=public_id, allowed_public_ids=request.session.get(SUBMITTED_SESSION_KEY, [])
    )
    if ticket is None:
        raise Http404("No ticket to show")
    return render(request, "tickets/ticket_submitted.html", {"ticket": ticket})


def ticket_added(request: HttpRequest, public_id) -> HttpResponse:
    """Confirmation after the person chose to add a new submission to their open ticket (number only)."""
    ticket = ticket_for_confirmation(public_id=public_id, allowed_public_ids=request.session.get(ADDED_SESSION_KEY, []))
    if ticket is None:
        raise Http404("No ticket to show")
    return render(request, "tickets/ticket_added.html", {"ticket": ticket})


@require_http_methods(["GET", "POST"])
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
