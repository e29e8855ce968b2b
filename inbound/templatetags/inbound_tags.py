"""What the tickets pages show of inbound email, so the tickets app never imports this one."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

from inbound.selectors import held_emails_for_ticket

register = template.Library()


@lru_cache(maxsize=16)
def _held_email_list_url(script_prefix: str) -> str:
    return reverse("inbound:held_email_list")


@register.simple_tag
def held_email_list_url() -> str:
    """The Held email page for the header, reversed once per process and site prefix like the other links."""
    return _held_email_list_url(get_script_prefix())


@register.inclusion_tag("inbound/_ticket_held_emails.html")
def ticket_held_emails(ticket):
    """The ticket page's box of email held for this ticket; nothing when there is none."""
    return {"ticket": ticket, "held_emails": held_emails_for_ticket(ticket=ticket)}


@register.inclusion_tag("inbound/_original_email_link.html")
def original_email_link(ticket, event):
    """A timeline entry's link to download the whole email it came from."""
    return {"ticket": ticket, "event": event}
