"""Signed links the requester receives by email: no account and no password needed."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from tickets.models import Ticket

REOPEN_SALT = "tickets.reopen"
REOPEN_MAX_AGE = timedelta(days=14)
FEEDBACK_SALT = "tickets.feedback"
FEEDBACK_MAX_AGE = timedelta(days=30)
TICKET_LINK_SALT = "tickets.requester-ticket-link"
TICKET_LINK_MAX_AGE = timedelta(days=30)  # a receipt link opens its one ticket, for a month


def reopen_token(ticket: Ticket) -> str:
    return signing.TimestampSigner(salt=REOPEN_SALT).sign(str(ticket.public_id))


def reopen_url(ticket: Ticket) -> str:
    return settings.HELPDESK_BASE_URL + reverse("tickets:reopen", kwargs={"token": reopen_token(ticket)})


def ticket_for_reopen_token(token: str) -> Ticket | None:
    """Return the ticket a Reopen link names, or None when the link is forged or older than 14 days."""
    try:
        public_id = signing.TimestampSigner(salt=REOPEN_SALT).unsign(token, max_age=REOPEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return Ticket.objects.filter(public_id=public_id).first()


def ticket_link_token(ticket: Ticket) -> str:
    return signing.TimestampSigner(salt=TICKET_LINK_SALT).sign(str(ticket.public_id))


def ticket_link_url(ticket: Ticket) -> str:
    """A link for the requester's emails that opens this one ticket (never the address's other tickets)."""
    return settings.HELPDESK_BASE_URL + reverse("tickets:my_ticket_link", kwargs={"token": ticket_link_token(ticket)})


def ticket_for_link_token(token: str) -> Ticket | None:
    try:
        public_id = signing.TimestampSigner(salt=TICKET_LINK_SALT).unsign(token, max_age=TICKET_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return Ticket.objects.filter(public_id=public_id).first()


def feedback_url(ticket: Ticket, answer: str) -> str:
    token = signing.TimestampSigner(salt=FEEDBACK_SALT).sign(str(ticket.public_id))
    return settings.HELPDESK_BASE_URL + reverse("tickets:feedback", kwargs={"token": token, "answer": answer})


def ticket_for_feedback_token(token: str) -> Ticket | None:
    try:
        public_id = signing.TimestampSigner(salt=FEEDBACK_SALT).unsign(token, max_age=FEEDBACK_MAX_AGE)
    except signing.BadSignature:
        return None
    return Ticket.objects.filter(public_id=public_id).first()
