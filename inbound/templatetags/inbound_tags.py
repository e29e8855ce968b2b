"""What the tickets pages show of inbound email, so the tickets app never imports this one."""

from django import template

from inbound.selectors import held_emails_for_ticket

register = template.Library()


@register.inclusion_tag("inbound/_ticket_held_emails.html")
def ticket_held_emails(ticket):
    """The ticket page's box of email held for this ticket; nothing when there is none."""
    return {"ticket": ticket, "held_emails": held_emails_for_ticket(ticket=ticket)}


@register.inclusion_tag("inbound/_original_email_link.html")
def original_email_link(ticket, event):
    """A timeline entry's link to download the whole email it came from."""
    return {"ticket": ticket, "event": event}
