"""The ticket page's composer: a reply or an internal note, with the status and assignee beside it, in one POST."""

from dataclasses import dataclass

from django.db import transaction

from tickets.models import Ticket, TicketEvent
from tickets.services.conversation import ticket_note_add, ticket_reply
from tickets.services.status import ticket_update


@dataclass(frozen=True)
class ComposerSaved:
    """What one press of the composer's button saved: the reply or note (if one was written) and each change."""

    message: TicketEvent | None
    changes: list[TicketEvent]


@transaction.atomic
def ticket_compose(
    *,
    acting_user,
    ticket: Ticket,
    expected_version: int,
    is_note: bool,
    body: str,
    to: str = "",
    changes: dict,
) -> ComposerSaved:
    """Save the changes, then the reply or note, together: a stale version refuses all of it (TicketChangedError).

    `changes` holds only what differs from the ticket now, so a reply with nothing changed is never refused because a
    colleague saved meanwhile. A reply takes an Open or unassigned ticket (ticket_reply) except where the
    technician chose the status or the assignee here.
    """
    changed = []
    if changes:
        changed = ticket_update(
            acting_user=acting_user, ticket=ticket, expected_version=expected_version, changes=changes
        )
        ticket.refresh_from_db()
    message = None
    if body.strip() and is_note:
        message = ticket_note_add(acting_user=acting_user, ticket=ticket, body=body)
    elif body.strip():
        takes = tuple(field for field in ("status", "assignee") if field not in changes)
        message = ticket_reply(acting_user=acting_user, ticket=ticket, body=body, to=to, takes=takes)
    return ComposerSaved(message=message, changes=changed)
