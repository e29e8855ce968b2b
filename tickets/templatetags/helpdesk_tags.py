from datetime import timedelta

from django import template

from helpdesk.links import link
from tickets.reference import person_name

register = template.Library()

# The header's and footer's links: the same on every page, reversed once per process and site prefix (helpdesk.links).
SITE_LINKS = {
    "home": "tickets:home",
    "submit": "tickets:submit",
    "my_tickets": "tickets:my_tickets",
    "policy": "tickets:policy",
    "queue": "tickets:queue",
    "reports": "tickets:reports",
    "login": "login",
    "logout": "logout",
    "sign_out": "tickets:my_sign_out",
}


@register.simple_tag
def site_link(name: str) -> str:
    """One of SITE_LINKS, like {% url %} without reversing it again on every page."""
    return link(SITE_LINKS[name])


@register.simple_tag(name="link")
def link_tag(name: str, number: int | None = None) -> str:
    """{% link "tickets:compose" ticket.number %}: {% url %} for a URL with no argument or one whole number, reversed
    once per process (helpdesk.links), for pages that link the same few URLs many times."""
    return link(name, number)


@register.filter
def duration_human(value: timedelta | None) -> str:
    """Say a duration the way a person would: '45 min', '5.5 h', '3.2 days'."""
    if value is None:
        return "—"
    minutes = value.total_seconds() / 60
    if minutes < 90:
        return f"{minutes:.0f} min"
    hours = minutes / 60
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


register.filter("person_name", person_name)  # a user's full name, else their username; empty for nobody
