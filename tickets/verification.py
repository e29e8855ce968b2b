"""Which address, and which tickets, a browser has proved it speaks for: one answer for every requester page."""

from collections.abc import Collection
from dataclasses import dataclass

from helpdesk.email_address import normalize_email
from tickets.models import Ticket


@dataclass(frozen=True)
class RequesterVerification:
    """What this browser proved: an address (My tickets link or district sign-on), or single tickets (receipt link)."""

    email: str = ""  # signed in through the one-time My tickets link or district single sign-on
    ticket_ids: frozenset[str] = frozenset()  # opened through a receipt's per-ticket link: these tickets only
    is_district_account: bool = False  # the district's sign-on vouched for `email`

    @property
    def is_signed_in(self) -> bool:
        """Whether this browser proved anything: then every page offers Sign out and no browser keeps it."""
        return bool(self.email or self.ticket_ids)

    def covers_address(self, email: str) -> bool:
        """Whether the browser signed in as this address; a different address typed on a form never inherits it."""
        return bool(self.email) and self.email == normalize_email(email)

    def covers_ticket(self, ticket: Ticket) -> bool:
        """Whether the browser may read and add to this ticket."""
        return self.covers_address(ticket.requester_email) or str(ticket.public_id) in self.ticket_ids


def requester_verification_get(
    *, signed_in_email: str | None, district_email: str | None, ticket_link_ids: list[str] | None
) -> RequesterVerification:
    """Build the verification from what the session remembers (views read the session, this decides)."""
    email = normalize_email(signed_in_email)
    return RequesterVerification(
        email=email,
        ticket_ids=frozenset(str(value) for value in ticket_link_ids or []),
        is_district_account=bool(email) and normalize_email(district_email) == email,
    )


def open_tickets_shown(
    *, open_tickets: list[Ticket], verification: RequesterVerification, submitted_here: Collection[str] = ()
) -> list[dict]:
    """The duplicate step's list: every number; subject and date only for tickets this browser is verified for or
    submitted itself (its session holds their ids), so a stranger typing someone's address learns nothing."""
    shown = []
    for ticket in open_tickets:
        known = verification.covers_ticket(ticket) or str(ticket.public_id) in submitted_here
        shown.append(
            {
                "number": ticket.number,
                "is_verified": known,
                "subject": ticket.subject if known else "",
                "created_at": ticket.created_at if known else None,
            }
        )
    return shown
