"""Who may open what: the technicians' pages, and what a requester's browser has proved (the session)."""

from helpdesk.requester_session import (
    DISTRICT_ACCOUNT_SESSION_KEY,
    SESSION_KEY,
    TICKET_LINKS_REMEMBERED,
    TICKET_LINKS_SESSION_KEY,
)
from tickets.models import Ticket
from tickets.requester_access import requester_session_expiry
from tickets.verification import RequesterVerification, requester_verification_get


def requester_verification(request) -> RequesterVerification:
    """What this browser proved about who it is, from the session (My tickets link, district sign-on, receipt)."""
    session = request.session
    return requester_verification_get(
        signed_in_email=session.get(SESSION_KEY),
        district_email=session.get(DISTRICT_ACCOUNT_SESSION_KEY),
        ticket_link_ids=session.get(TICKET_LINKS_SESSION_KEY),
    )


def requester_sign_in(request, email: str, *, keep_signed_in: bool) -> None:
    """Remember the address this browser proved (the emailed one-time link): all its tickets open.

    Unless the person ticked "Keep me signed in on this device", the session ends when the browser closes.
    """
    request.session.cycle_key()  # a new session id at sign-in, as Django's login() does
    request.session[SESSION_KEY] = email
    request.session.set_expiry(requester_session_expiry(keep_signed_in=keep_signed_in))


def requester_ticket_link_remember(request, ticket: Ticket) -> None:
    """Remember a ticket opened through its own link: that ticket opens, and nothing else does."""
    public_id = str(ticket.public_id)
    remembered = [value for value in request.session.get(TICKET_LINKS_SESSION_KEY, []) if value != public_id]
    request.session.cycle_key()
    request.session[TICKET_LINKS_SESSION_KEY] = [*remembered, public_id][-TICKET_LINKS_REMEMBERED:]
    if SESSION_KEY not in request.session:
        # A receipt's link offers no "keep me signed in": it ends with the browser, and never shortens a kept sign-in.
        request.session.set_expiry(requester_session_expiry(keep_signed_in=False))
