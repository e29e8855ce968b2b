"""One log line per request, with a request id that every log line of that request carries.

The id comes from nginx (X-Request-ID, the same as in its access log) or is made here, and is sent back in the
response. Tickets and outbox emails created during the request are named on the line (model signals, so the
services need not know about logging). The route pattern is logged, not the path: paths hold sign-in tokens.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

import sentry_sdk
from django.db import Error as DatabaseAPIError
from django.db.models.signals import post_save

logger = logging.getLogger("helpdesk.request")

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
_created_var: ContextVar[dict | None] = ContextVar("request_log_created", default=None)
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
QUIET_ROUTES = {"/healthz", "/readyz"}


class RequestIdFilter(logging.Filter):
    """Give every log record the current request id ("-" outside a request), for the formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def _note_created(sender, instance, created, **kwargs):
    notes = _created_var.get()
    if created and notes is not None:
        notes.setdefault(sender._meta.model_name, []).append(instance)


post_save.connect(_note_created, sender="tickets.Ticket", dispatch_uid="request_log_ticket")
post_save.connect(_note_created, sender="notifications.OutboundEmail", dispatch_uid="request_log_outbox")


def _request_id(request) -> str:
    offered = request.headers.get("X-Request-ID", "")
    return offered if REQUEST_ID_PATTERN.match(offered) else uuid.uuid4().hex


def _user_id(request) -> str:
    user = getattr(request, "user", None)
    try:
        return str(user.pk) if user is not None and user.is_authenticated else "-"
    # The session could not be read (database down, or its connection lost): the answer itself still goes out.
    # Error, not DatabaseError: a connection already closed raises InterfaceError, which is not a DatabaseError.
    except DatabaseAPIError:
        return "?"


def _line_fields(request, response, notes: dict, started: float) -> dict:
    match = getattr(request, "resolver_match", None)
    tickets = [str(ticket.number) for ticket in notes.get("ticket", [])]
    if match and "number" in match.kwargs and str(match.kwargs["number"]) not in tickets:
        tickets.insert(0, str(match.kwargs["number"]))
    return {
        "method": request.method,
        "route": f"/{match.route}" if match and match.route else request.path[:200],
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000),
        "user": _user_id(request),
        "ticket": ",".join(tickets) or "-",
        "outbox": ",".join(str(email.pk) for email in notes.get("outboundemail", [])) or "-",
    }


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _request_id(request)
        id_token, notes_token = request_id_var.set(request_id), _created_var.set({})
        sentry_sdk.set_tag("request_id", request_id)  # a no-op unless SENTRY_DSN is set
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            fields = _line_fields(request, response, _created_var.get(), started)
            # Load balancers and monitoring poll the health pages every few seconds: their successes are DEBUG.
            quiet = fields["route"] in QUIET_ROUTES and response.status_code < 400
            logger.log(
                logging.DEBUG if quiet else logging.INFO,
                " ".join(f"{key}={value}" for key, value in fields.items()),
                extra={"request_line": fields},
            )
            return response
        finally:
            request_id_var.reset(id_token)
            _created_var.reset(notes_token)
