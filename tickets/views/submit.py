from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from helparticles.seen import seen_article_ids
from helpdesk.db_retry import retry_on_lost_connection
from helpdesk.ratelimits import posted_values, rate_limited, rate_limited_response
from routing.models import DeflectionLog
from routing.panel import DEFLECTIONS_SESSION_KEY, panel_context, request_form_url
from routing.policy import policy_page_load
from routing.selectors import deflections_for_session
from routing.services import deflection_for_stopped_request, deflection_next_step_take, deflections_record_for_ticket
from submissions.once import submit_once
from tickets.forms import TicketSubmitForm
from tickets.models import Ticket
from tickets.pending_uploads import pending_uploads_replace
from tickets.requester_access import requester_ticket
from tickets.requester_devices import requester_devices_offer
from tickets.requester_fixed import requester_field_fix
from tickets.selectors import submission_duplicate_check, ticket_for_confirmation
from tickets.services import (
    ticket_create,
    ticket_routing_logs_link,
    ticket_submission_add_pending,
    ticket_submission_add_to,
)
from tickets.services.articles import ticket_seen_articles_record
from tickets.services.devices import ticket_device_typed_record
from tickets.submit_steps import SubmitStepDone, submit_step_next, submit_steps_carried
from tickets.verification import RequesterVerification, open_tickets_shown
from tickets.views.access import requester_verification

SUBMITTED_SESSION_KEY = "submitted_ticket_ids"
ADDED_SESSION_KEY = "added_to_ticket_ids"
ADDITION_REQUESTED_SESSION_KEY = "addition_requested_ticket_ids"
# Routing answers the person already gave, carried through the possible-duplicates step.
CARRIED_ROUTING_FIELDS = ("routing_override", "routing_rule_seen", "routing_deflection")
SUBMITTED_SESSION_LIMIT = 20
PENDING_UPLOADS_SESSION_KEY = "pending_uploads_token"


@retry_on_lost_connection
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "tickets/home.html", {"policy": policy_page_load()})


@retry_on_lost_connection
def policy(request: HttpRequest) -> HttpResponse:
    return render(request, "tickets/policy.html", {"policy": policy_page_load()})


def _remember_submitted(request: HttpRequest, item, *, key: str = SUBMITTED_SESSION_KEY) -> None:
    """Only this browser may see the confirmation page (or routing log); the link itself is unguessable too."""
    submitted = request.session.get(key, [])
    request.session[key] = [*submitted, str(item.public_id)][-SUBMITTED_SESSION_LIMIT:]


def _earlier_deflections(request: HttpRequest) -> list[DeflectionLog]:
    """The routing logs the form posted back (the rules read on this request so far), latest first."""
    return deflections_for_session(
        public_ids=request.POST.getlist("routing_deflection"),
        allowed_public_ids=request.session.get(DEFLECTIONS_SESSION_KEY, []),
    )


def _routed(request: HttpRequest, form: TicketSubmitForm) -> HttpResponse:
    """A rule says this request belongs elsewhere: log it, and send the person on if they chose to."""
    match, data = form.routing_match, form.cleaned_data
    earlier = _earlier_deflections(request)
    deflection = deflection_for_stopped_request(
        match=match,
        earlier=earlier,
        requester_email=data["requester_email"],
        school=data.get("school"),
        subject=data["subject"],
        description=data["description"],
    )
    if deflection not in earlier:
        _remember_submitted(request, deflection, key=DEFLECTIONS_SESSION_KEY)
    next_step = deflection_next_step_take(
        deflection=deflection,
        match=match,
        next_step=request.POST.get("routing_next", ""),
        attachments=form.routed_files,
    )
    if next_step == DeflectionLog.Outcome.FORWARDED:
        return redirect("routing:forwarded", public_id=deflection.public_id)
    if next_step == DeflectionLog.Outcome.FORM_OPENED:
        return redirect(f"{request_form_url(rule=match.rule)}?from={deflection.public_id}")
    fields = {key: data.get(key, "") for key in ("subject", "description", "requester_email")}
    others = [item for item in earlier if item.pk != deflection.pk]
    panel = panel_context(match=match, fields=fields, preview=False, deflection=deflection, earlier_deflections=others)
    return render(request, "tickets/ticket_form.html", {"form": form, **panel})


def _pending_uploads_for_browser(request: HttpRequest, files: list) -> str:
    """Keep one pending submission's files per browser: a new one deletes the files of the one before."""
    token = pending_uploads_replace(previous_token=request.session.get(PENDING_UPLOADS_SESSION_KEY, ""), files=files)
    request.session[PENDING_UPLOADS_SESSION_KEY] = token
    return token


def _added_to(request: HttpRequest, ticket: Ticket, fields: dict, verification: RequesterVerification) -> HttpResponse:
    addition = {key: fields[key] for key in ("subject", "description", "school", "classroom", "attachments")}
    if not verification.covers_ticket(ticket):
        # Anyone can type anyone's address: nothing is added until the requester confirms from their email.
        if ticket_submission_add_pending(ticket=ticket, **addition) is None:
            context = {"ticket": ticket, "already_waiting": True}
            return render(request, "tickets/addition_requested.html", context, status=429)
        _remember_submitted(request, ticket, key=ADDITION_REQUESTED_SESSION_KEY)
        return redirect("tickets:addition_requested", public_id=ticket.public_id)
    ticket_submission_add_to(ticket=ticket, **addition)
    # A separate key: adding to a ticket must never open that ticket's full confirmation page.
    _remember_submitted(request, ticket, key=ADDED_SESSION_KEY)
    return redirect("tickets:added", public_id=ticket.public_id)


def _submit_step(request: HttpRequest, form: TicketSubmitForm, fields: dict) -> HttpResponse | None:
    """Another app's step before the ticket (tickets.submit_steps), e.g. an open outage: show it, or end there."""
    answers = {name: request.POST.get(name, "") for name in submit_steps_carried()}
    step = submit_step_next(fields=fields, answers=answers)
    if step is None:
        return None
    if isinstance(step, SubmitStepDone):
        return redirect(step.redirect_url)
    context = {
        "form": form,
        "submit_step": step,
        "pending_uploads": _pending_uploads_for_browser(request, fields["attachments"]),
        "carried_routing": {key: request.POST.getlist(key) for key in CARRIED_ROUTING_FIELDS},
    }
    return render(request, "tickets/ticket_form.html", context)


def _submit_limited(request: HttpRequest, hit) -> HttpResponse:
    form = TicketSubmitForm(initial=posted_values(request))
    requester_field_fix(form, verification=requester_verification(request))
    if form.fields["requester_email"].disabled:
        form.initial.pop("requester_email", None)  # the address the district vouched for, not what was posted
    return rate_limited_response(request, hit, template="tickets/ticket_form.html", context={"form": form})


@require_http_methods(["GET", "POST"])
@submit_once  # before the rate limit: a repeat of a sent form is not another try
@rate_limited("ticket_submit", page=_submit_limited)
def ticket_submit(request: HttpRequest) -> HttpResponse:
    # I still need help (helparticles) opens the form with the article's title as the subject.
    initial = (
        {"subject": request.GET["subject"][:200]} if request.method == "GET" and request.GET.get("subject") else {}
    )
    form = TicketSubmitForm(request.POST or None, request.FILES or None, initial=initial)
    verification = requester_verification(request)
    requester_field_fix(form, verification=verification)  # signed in with a district account
    requester_devices_offer(form, verification=verification)
    if request.method == "POST" and form.is_valid():
        fields = form.ticket_fields()
        if (stepped := _submit_step(request, form, fields)) is not None:
            return stepped
        duplicates = submission_duplicate_check(
            email=fields["requester_email"],
            subject=fields["subject"],
            description=fields["description"],
            choice=request.POST.get("duplicate_choice", ""),
        )
        if duplicates.add_to is not None:
            return _added_to(request, duplicates.add_to, fields, verification)
        if duplicates.needs_choice:
            return _duplicate_choice(request, form, fields, duplicates, verification)
        ticket = _ticket_create_recorded(request, form, fields, duplicates)
        _remember_submitted(request, ticket)
        return redirect("tickets:submitted", public_id=ticket.public_id)
    if form.is_bound and form.routing_match:
        return _routed(request, form)
    return render(request, "tickets/ticket_form.html", {"form": form})


def _duplicate_choice(request, form, fields, duplicates, verification) -> HttpResponse:
    """The same requester has open tickets like this one: ask whether to add to one of them (nothing is created)."""
    context = {
        "form": form,
        "open_tickets": open_tickets_shown(
            open_tickets=duplicates.open_tickets,
            verification=verification,
            submitted_here=request.session.get(SUBMITTED_SESSION_KEY, []),
        ),
        "is_verified": verification.covers_address(fields["requester_email"]),
        "pending_uploads": _pending_uploads_for_browser(request, fields["attachments"]),
        "carried_routing": {
            key: request.POST.getlist(key) for key in (*CARRIED_ROUTING_FIELDS, *submit_steps_carried())
        },
    }
    return render(request, "tickets/ticket_form.html", context)


def _ticket_create_recorded(request, form, fields, duplicates):
    """Create the ticket, then record what led to it: the device typed, routing answers seen, articles seen."""
    device_typed = fields.pop("device_typed", "")
    ticket = ticket_create(**fields, possible_duplicate_of=duplicates.possible_duplicate_of)
    ticket_device_typed_record(ticket=ticket, typed=device_typed)
    routing_logs = deflections_record_for_ticket(
        requester_email=ticket.requester_email,
        school=ticket.school,
        subject=ticket.subject,
        description=ticket.description,
        outcome=form.routing_outcome,
        earlier=_earlier_deflections(request),
    )
    ticket_routing_logs_link(ticket=ticket, deflections=routing_logs)
    ticket_seen_articles_record(ticket=ticket, article_ids=seen_article_ids(request))
    return ticket


@retry_on_lost_connection
def ticket_submitted(request: HttpRequest, public_id) -> HttpResponse:
    ticket = ticket_for_confirmation(
        public_id=public_id, allowed_public_ids=request.session.get(SUBMITTED_SESSION_KEY, [])
    )
    if ticket is None:
        raise Http404("No ticket to show")
    # Signed in as the requester: a direct link to add what was left off; anyone else proves the address first.
    can_open = requester_ticket(verification=requester_verification(request), public_id=ticket.public_id) is not None
    return render(request, "tickets/ticket_submitted.html", {"ticket": ticket, "can_open": can_open})


def ticket_added(request: HttpRequest, public_id) -> HttpResponse:
    """Confirmation after the person chose to add a new submission to their open ticket (number only)."""
    ticket = ticket_for_confirmation(public_id=public_id, allowed_public_ids=request.session.get(ADDED_SESSION_KEY, []))
    if ticket is None:
        raise Http404("No ticket to show")
    return render(request, "tickets/ticket_added.html", {"ticket": ticket})


def ticket_addition_requested(request: HttpRequest, public_id) -> HttpResponse:
    """After Add to ticket from a browser not signed in as the requester: we emailed them to confirm (number only)."""
    ticket = ticket_for_confirmation(
        public_id=public_id, allowed_public_ids=request.session.get(ADDITION_REQUESTED_SESSION_KEY, [])
    )
    if ticket is None:
        raise Http404("No ticket to show")
    return render(request, "tickets/addition_requested.html", {"ticket": ticket})
