from datetime import timedelta

from django import template

from helpdesk.links import link
from tickets.reference import person_name

register = template.Library()


@register.simple_tag(name="link")
def link_tag(name: str, number: int | None = None) -> str:
    """{% link "tickets:compose" ticket.number %}: {% url %} for a URL with no argument or one whole number, reversed
    once per process (helpdesk.links): the header's links on every page, and the ticket page's dozen."""
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
