from datetime import timedelta

from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from helpdesk.ratelimits import posted_values, rate_limited, rate_limited_response
from routing.forms import MassEmailRequestForm, MediaRequestForm, QuoteRequestForm
from routing.models import DeflectionLog, RoutingRule, ServiceRequestFile
from routing.panel import DEFLECTIONS_SESSION_KEY, REQUESTS_SESSION_KEY, panel_context
from routing.policy import quote_terms_load
from routing.selectors import (
    deflection_for_session,
    request_form_rule,
    routing_rule_for_request,
    service_request_for_session,
)
from routing.services import REQUEST_FILE_LINK_DAYS, REQUEST_FILE_SALT, service_request_create
from submissions.once import submit_once

DEFLECTIONS_SESSION_LIMIT = 20
REQUEST_FORMS = {
    RoutingRule.RequestForm.MASS_EMAIL: MassEmailRequestForm,
    RoutingRule.RequestForm.MEDIA: MediaRequestForm,
    RoutingRule.RequestForm.QUOTE: QuoteRequestForm,
}


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _remember(request: HttpRequest, item, key: str = DEFLECTIONS_SESSION_KEY) -> None:
    remembered = request.session.get(key, [])
    request.session[key] = [*remembered, str(item.public_id)][-DEFLECTIONS_SESSION_LIMIT:]


def session_deflection(request: HttpRequest, public_id) -> DeflectionLog | None:
    return deflection_for_session(
        public_id=public_id, allowed_public_ids=request.session.get(DEFLECTIONS_SESSION_KEY, [])
    )


@require_POST
@rate_limited("routing_check")
def routing_check(request: HttpRequest) -> HttpResponse:
    """Return the message of the rule that matches what is typed so far (htmx, while the person types)."""
    fields = {
        "subject": request.POST.get("subject", "")[:200],
        "description": request.POST.get("description", "")[:20_000],
    }
    match = None
    if len((fields["subject"] + fields["description"]).strip()) >= 3:
        # Anyone can call this, so it neither reads the typed address nor names staff: that waits for a full submit.
        match = routing_rule_for_request(
            **fields,
            ticket_type_id=_int_or_none(request.POST.get("ticket_type")),
            school_id=_int_or_none(request.POST.get("school")),
            for_preview=True,
        )
    if match is None or not match.rule.stops_ticket:
        return HttpResponse("")
    context = panel_context(match=match, fields=fields, preview=True)
    # Keep the person's "My request is different" tick while they go on typing about the same rule.
    context["routing_override_checked"] = (
        bool(request.POST.get("routing_override"))
        and _int_or_none(request.POST.get("routing_rule_seen")) == match.rule.pk
    )
    return render(request, "routing/_routing_panel.html", context)


def deflection_forwarded(request: HttpRequest, public_id) -> HttpResponse:
    deflection = session_deflection(request, public_id)
    if deflection is None or deflection.outcome != DeflectionLog.Outcome.FORWARDED:
        raise Http404("Nothing to show")
    contact = deflection.rule.contact if deflection.rule else None
    return render(request, "routing/forwarded.html", {"deflection": deflection, "contact": contact})


def _carried_over(deflection: DeflectionLog | None) -> dict:
    """What the person typed on the ticket form, as the request form's starting values."""
    if deflection is None:
        return {}
    return {
        "requester_email": deflection.requester_email,
        "event_name": deflection.subject,
        "details": deflection.description,
        "school": deflection.school_id,
        "items": deflection.description,
        "purpose": deflection.subject,
    }


def _request_form_limited(request: HttpRequest, hit, *, kind: str) -> HttpResponse:
    rule = request_form_rule(kind=kind)
    if rule is None:
        return rate_limited_response(request, hit)
    form = REQUEST_FORMS[kind](rule=rule, initial=posted_values(request))
    context = {"form": form, "rule": rule, "kind": kind, "title": rule.get_request_form_display()}
    return rate_limited_response(request, hit, template="routing/request_form.html", context=context)


@require_http_methods(["GET", "POST"])
@submit_once
@rate_limited("request_form", page=_request_form_limited)
def request_form(request: HttpRequest, kind: str) -> HttpResponse:
    """The mass email, media and quote request forms."""
    rule = request_form_rule(kind=kind)
    if rule is None:
        return render(request, "routing/request_unavailable.html", {"kind_label": kind}, status=503)
    deflection = session_deflection(request, request.GET.get("from") or request.POST.get("from"))
    form_class = REQUEST_FORMS[kind]
    form = form_class(request.POST or None, request.FILES or None, rule=rule, initial=_carried_over(deflection))
    if request.method == "POST" and form.is_valid():
        fields = {key: value for key, value in form.cleaned_data.items() if key not in ("attachments", "captcha")}
        if "needs" in fields:
            fields["needs"] = ", ".join(fields["needs"])
        created = service_request_create(
            kind=kind,
            mailbox=rule.contact.email,
            attachments=form.cleaned_data.get("attachments") or [],
            deflection=deflection,
            **fields,
        )
        _remember(request, created, REQUESTS_SESSION_KEY)
        return redirect("routing:request_sent", public_id=created.public_id)
    context = {"form": form, "rule": rule, "kind": kind, "title": rule.get_request_form_display(), "from": deflection}
    if kind == RoutingRule.RequestForm.QUOTE:
        context["quote_terms"] = quote_terms_load()
    return render(request, "routing/request_form.html", context)


def request_sent(request: HttpRequest, public_id) -> HttpResponse:
    sent = service_request_for_session(
        public_id=public_id, allowed_public_ids=request.session.get(REQUESTS_SESSION_KEY, [])
    )
    if sent is None:
        raise Http404("Nothing to show")
    return render(request, "routing/request_sent.html", {"sent": sent, "quote_terms": quote_terms_load()})


def request_file(request: HttpRequest, token: str) -> FileResponse:
    """Serve a request's attachment to whoever holds the signed link from the mailbox's email."""
    try:
        file_id = signing.loads(token, salt=REQUEST_FILE_SALT, max_age=timedelta(days=REQUEST_FILE_LINK_DAYS))
    except signing.BadSignature:
        raise Http404("This link is not valid or has expired.") from None
    stored = ServiceRequestFile.objects.filter(pk=file_id).first()
    if stored is None:
        raise Http404("This file is no longer available.")
    response = FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
