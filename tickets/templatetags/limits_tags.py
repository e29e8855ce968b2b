"""Time limits people are told about, read from the constants the code enforces instead of copied into templates."""

from datetime import timedelta

from django import template

register = template.Library()


def _lifetimes() -> dict[str, timedelta]:
    # Read at render time, so the words always match what the code enforces.
    from routing import services as routing_services
    from tickets import links, requester_access
    from tickets.services import additions

    return {
        "reopen": links.REOPEN_MAX_AGE,
        "feedback": links.FEEDBACK_MAX_AGE,
        "sign_in": requester_access.SIGN_IN_LIFETIME,
        "keep_signed_in": requester_access.KEEP_SIGNED_IN_FOR,
        "ticket_link": links.TICKET_LINK_MAX_AGE,
        "pending_addition": additions.PENDING_ADDITION_LIFETIME,
        "recently_closed": requester_access.RECENTLY_CLOSED,
        "request_file": timedelta(days=routing_services.REQUEST_FILE_LINK_DAYS),
    }


@register.simple_tag
def lifetime(name: str) -> str:
    """Say how long a kind of link works, or how far back a list goes: "14 days", "15 minutes"."""
    span = _lifetimes()[name]
    if span >= timedelta(days=1):
        count, unit = span.days, "day"
    else:
        count, unit = int(span.total_seconds() // 60), "minute"
    return f"{count} {unit}{'' if count == 1 else 's'}"
