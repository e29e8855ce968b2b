"""What the tickets pages show of outages, so the tickets app never imports this one."""

from django import template

from outages.email_step import affected_url
from outages.selectors import outages_open, outages_open_with_counts, possible_outages_pending
from outages.services import OUTAGE_FIELD_NAME

register = template.Library()


@register.simple_tag
def known_issues() -> list:
    """The open outages for the home page and the ticket form (one query)."""
    return outages_open()


@register.simple_tag
def email_known_issues(sender: str) -> list[tuple]:
    """For the answer to a request by email: each open outage with the sender's “I'm affected too” link."""
    return [(outage, affected_url(outage=outage, email=sender)) for outage in outages_open()] if sender else []


@register.simple_tag
def possible_outages() -> list:
    """The queue's Possible outage notices (one query on a small table)."""
    return possible_outages_pending()


@register.simple_tag
def outages_in_queue() -> list:
    """With linked tickets hidden from the queue: the open outages they are behind, with their open counts."""
    return outages_open_with_counts()


@register.simple_tag
def outage_linked(timeline) -> str:
    """The title of the outage the ticket is linked to, read from its timeline already loaded: no query."""
    for event in reversed(timeline or []):
        if event.kind == "change" and event.field_name == OUTAGE_FIELD_NAME:
            return event.new_value
    return ""
