"""Every write to a ticket, one module per entity (the ticket, its conversation, its status, merges, additions,
feedback); `grep "def ticket_"` lists them. Import from here."""

from tickets.search import ticket_search_refresh
from tickets.services.additions import (
    PENDING_ADDITION_LIFETIME,
    pending_addition_confirm,
    pending_addition_ignore,
    pending_additions_expire,
    ticket_submission_add_pending,
    ticket_submission_add_to,
)
from tickets.services.composer import ComposerSaved, ticket_compose
from tickets.services.conversation import (
    ticket_followed,
    ticket_note_add,
    ticket_reply,
    ticket_requester_addition_add,
    ticket_requester_reply_add,
)
from tickets.services.feedback import ticket_feedback_record
from tickets.services.merge import TicketMergeError, tickets_merge
from tickets.services.status import (
    TicketChangedError,
    ticket_close,
    ticket_reopen,
    ticket_update,
    tickets_bulk_close,
    tickets_bulk_update,
)
from tickets.services.ticket import ticket_create, ticket_number_next, ticket_routing_logs_link
from tickets.services.waiting import waiting_tickets_follow_up

__all__ = [
    "ComposerSaved",
    "ticket_compose",
    "PENDING_ADDITION_LIFETIME",
    "pending_addition_confirm",
    "pending_addition_ignore",
    "pending_additions_expire",
    "ticket_followed",
    "ticket_requester_addition_add",
    "ticket_submission_add_pending",
    "TicketChangedError",
    "TicketMergeError",
    "ticket_close",
    "ticket_create",
    "ticket_feedback_record",
    "ticket_note_add",
    "ticket_number_next",
    "ticket_reopen",
    "ticket_reply",
    "ticket_routing_logs_link",
    "ticket_requester_reply_add",
    "ticket_search_refresh",
    "ticket_submission_add_to",
    "ticket_update",
    "tickets_bulk_close",
    "tickets_bulk_update",
    "tickets_merge",
    "waiting_tickets_follow_up",
]
