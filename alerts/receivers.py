"""What alerts does when tickets tell it something (tickets.signals): alert technicians and keep the clock."""

from django.dispatch import receiver

from alerts.clock import ticket_clock_refresh
from alerts.models import Kind
from alerts.selectors import mentioned_technicians
from alerts.services import alert_for_ticket, alert_possible_outage, alert_to_users
from district.models import Priority
from outages.signals import possible_outage_detected
from tickets import signals
from tickets.models import Ticket


def _school_of(ticket: Ticket) -> str:
    return str(ticket.school) if ticket.school_id else "no school"


@receiver(signals.ticket_created)
def on_ticket_created(*, ticket: Ticket, acting_user=None, **kwargs):
    ticket_clock_refresh(ticket=ticket, is_new=True)
    if ticket.priority == Priority.URGENT:
        summary = f"New urgent ticket at {_school_of(ticket)}: {ticket.subject}"
        alert_for_ticket(kind=Kind.URGENT, ticket=ticket, summary=summary, acting_user=acting_user)
    else:
        summary = f"New ticket at {_school_of(ticket)}: {ticket.subject}"
        alert_for_ticket(kind=Kind.NEW_TICKET, ticket=ticket, summary=summary, acting_user=acting_user)


@receiver(signals.ticket_changed)
def on_ticket_changed(*, ticket: Ticket, acting_user=None, changes: dict, **kwargs):
    if {"status", "priority"} & set(changes):
        ticket_clock_refresh(ticket=ticket)
    if "assignee" in changes and changes["assignee"][1] and ticket.assignee_id:
        by = (acting_user.get_full_name() or acting_user.get_username()) if acting_user else "Someone"
        alert_to_users(
            kind=Kind.ASSIGNED,
            ticket=ticket,
            users=[ticket.assignee],
            summary=f"{by} assigned this ticket to you: {ticket.subject}",
            acting_user=acting_user,
        )
    old, new = changes.get("priority", (None, None))
    if new == Priority.URGENT and old != Priority.URGENT:
        summary = f"Raised to urgent at {_school_of(ticket)}: {ticket.subject}"
        alert_for_ticket(kind=Kind.URGENT, ticket=ticket, summary=summary, acting_user=acting_user)


@receiver(signals.ticket_replied)
def on_ticket_replied(*, ticket: Ticket, **kwargs):
    ticket_clock_refresh(ticket=ticket)  # the first reply's target is met: the resolution's counts now


@receiver(signals.ticket_requester_replied)
def on_requester_replied(*, ticket: Ticket, event, **kwargs):
    ticket_clock_refresh(ticket=ticket)  # no longer waiting on the requester
    ticket.refresh_from_db(fields=["assignee", "status"])
    who = event.correspondent or ticket.requester_email
    alert_for_ticket(kind=Kind.REQUESTER_REPLIED, ticket=ticket, summary=f"{who} replied: {event.body[:200]}")


@receiver(signals.ticket_note_added)
def on_note_added(*, ticket: Ticket, event, acting_user=None, **kwargs):
    users = mentioned_technicians(body=event.body)
    if users:
        by = (acting_user.get_full_name() or acting_user.get_username()) if acting_user else "Someone"
        alert_to_users(
            kind=Kind.MENTION,
            ticket=ticket,
            users=users,
            summary=f"{by} mentioned you in a note: {event.body[:200]}",
            acting_user=acting_user,
        )


@receiver(possible_outage_detected)
def on_possible_outage(
    *, school_id: int, ticket_type_name: str, ticket_numbers: list[int], detection_key: str, **kwargs
):
    alert_possible_outage(
        school_id=school_id,
        ticket_type_name=ticket_type_name,
        ticket_numbers=ticket_numbers,
        detection_key=detection_key,
    )
