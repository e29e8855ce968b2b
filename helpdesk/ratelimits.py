"""Rate limits on the public POSTs (django-ratelimit), counted in the cache every web process shares.

Each public view that sends email, creates something or spends a link carries `@rate_limited("<name>")`; the numbers
live in LIMITS below and in docs/operations.md. Every limit counts per client address (helpdesk.client_ip, so a school
behind one public address shares it: the per-address numbers let a busy school through) and, where the form names one,
per requester address or link. The add-to-ticket confirmation page takes `@rate_limited("link_confirm")`.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import get_usage

from helpdesk.email_address import normalize_email

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    """At most `rate` POSTs (django-ratelimit syntax, e.g. "200/h") per value of `key`.

    key: "ip" (the client address), "post:<field>" (a typed email address, compared lower-cased), "session:<key>"
    or "url:<argument>" (a link's token). A POST without that value is not counted by this limit.
    only_if: (field, value): count only POSTs carrying that choice, e.g. "Send this to NAME for me".
    """

    rate: str
    key: str
    only_if: tuple[str, str] | None = None


FORWARD = ("routing_next", "forward")
LIMITS: dict[str, tuple[Limit, ...]] = {
    # Submit a ticket, including the routing and possible-duplicates steps (2-3 POSTs per ticket).
    "ticket_submit": (
        Limit("200/h", "ip"),
        Limit("10/h", "post:requester_email"),
        # Send this to NAME for me: emails a person outside the help desk, so tighter.
        Limit("30/h", "ip", only_if=FORWARD),
        Limit("3/h", "post:requester_email", only_if=FORWARD),
    ),
    "request_form": (Limit("60/h", "ip"), Limit("10/h", "post:requester_email")),
    "my_tickets_sign_in": (Limit("60/h", "ip"), Limit("5/h", "post:email")),
    "my_ticket_add": (Limit("60/h", "ip"), Limit("20/h", "session:requester_email")),
    # Confirmation, reopen and feedback links: tokens are unguessable; this stops a script trying them in bulk.
    "link_confirm": (Limit("60/h", "ip"), Limit("10/h", "url:token")),
    # The live routing check runs while people type (debounced), so many per person.
    "routing_check": (Limit("1500/h", "ip"),),
    # Help articles: the suggestions while typing (as the routing check), and "Did this solve it?" answers.
    "article_suggest": (Limit("1500/h", "ip"),),
    "article_answer": (Limit("120/h", "ip"),),
    # The ticket form's Asset tag or serial lookup, while people type or scan (debounced).
    "device_lookup": (Limit("600/h", "ip"),),
    # Searches that found nothing are remembered for the report; a script's many searches are not.
    "article_search_miss": (Limit("30/h", "ip"),),
}


@dataclass(frozen=True)
class RateLimitHit:
    """A refused POST: how long until the oldest limit reached lets the person in again."""

    retry_after_seconds: int

    @property
    def minutes(self) -> int:
        return max(1, -(-self.retry_after_seconds // 60))

    @property
    def retry_at(self):
        return timezone.localtime() + timedelta(seconds=self.retry_after_seconds)


def _key_value(key: str, request: HttpRequest, view_kwargs: dict) -> str:
    source, _, name = key.partition(":")
    if source == "post":
        return normalize_email(request.POST.get(name, ""))
    if source == "session":
        return str(request.session.get(name, ""))
    if source == "url":
        return str(view_kwargs.get(name, ""))
    raise ValueError(f"Unknown rate limit key {key!r}")


def rate_limit_check(
    request: HttpRequest, *, name: str, view_kwargs: dict | None = None, any_method: bool = False
) -> RateLimitHit | None:
    """Count this POST (any request with `any_method`) against the named limits; a hit when any is exceeded."""
    if request.method != "POST" and not any_method:
        return None
    waits = []
    for limit in LIMITS[name]:
        if limit.only_if and request.POST.get(limit.only_if[0]) != limit.only_if[1]:
            continue
        if limit.key == "ip":
            key: str | Callable = "ip"
        else:
            value = _key_value(limit.key, request, view_kwargs or {})
            if not value:
                continue
            key = lambda group, request, value=value: value  # noqa: E731
        try:
            usage = get_usage(request, group=f"{name}.{limit.key}", key=key, rate=limit.rate, increment=True)
        except Exception:  # a broken cache must not take the public forms down with it
            logger.exception("Rate limit %s could not be counted; letting the request through", name)
            continue
        if usage and usage["should_limit"]:
            waits.append(max(usage["time_left"], 1))
    return RateLimitHit(retry_after_seconds=max(waits)) if waits else None


def rate_limited_response(request: HttpRequest, hit: RateLimitHit, *, template: str = "429.html", context=None):
    """The 429 page: what happened and when to try again; form pages pass their template and the typed values."""
    response = render(request, template, {**(context or {}), "rate_limit": hit}, status=429)
    response["Retry-After"] = str(hit.retry_after_seconds)
    return response


def rate_limited(name: str, *, page: Callable[..., HttpResponse] | None = None):
    """Refuse a POST over the named limits with HTTP 429; `page(request, hit, **view_kwargs)` re-renders a form."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            hit = rate_limit_check(request, name=name, view_kwargs=kwargs)
            if hit is None:
                return view(request, *args, **kwargs)
            if page is not None:
                return page(request, hit, **kwargs)
            return rate_limited_response(request, hit)

        return wrapped

    return decorator


def posted_values(request: HttpRequest) -> dict:
    """What the person typed, as a form's initial values (an unbound form shows them without validating again)."""
    return {
        key: values if len(values) > 1 else values[0]
        for key, values in request.POST.lists()
        if key not in ("csrfmiddlewaretoken", "g-recaptcha-response")
    }
