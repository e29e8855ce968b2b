"""The composer: a reply or a note, with status and assignee, saved in one press and refused whole when stale."""

import pytest

from tests.factories import TechnicianFactory, TicketFactory
from tickets.models import Ticket, TicketEvent
from tickets.services import TicketChangedError, ticket_compose

pytestmark = pytest.mark.django_db


def test_a_reply_with_waiting_and_assign_to_me_is_one_save(technician, mailoutbox, django_capture_on_commit_callbacks):
    ticket = TicketFactory(number=6101, status=Ticket.Status.OPEN, assignee=None)
    with django_capture_on_commit_callbacks(execute=True):
        saved = ticket_compose(
            acting_user=technician,
            ticket=ticket,
            expected_version=ticket.version,
            is_note=False,
            body="Please restart the projector and tell me what the light does.",
            changes={"status": Ticket.Status.WAITING, "assignee": technician},
        )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee, ticket.first_response_at is not None) == (
        Ticket.Status.WAITING,
        technician,
        True,
    )
    assert saved.message.kind == TicketEvent.Kind.REPLY
    # Exactly the chosen changes on the timeline: the reply did not also move it to In progress on its own.
    assert [(e.field_name, e.new_value) for e in saved.changes] == [
        ("Status", "Waiting on requester"),
        ("Assignee", "Casey Jones"),
    ]
    assert ticket.events.filter(kind=TicketEvent.Kind.CHANGE).count() == 2
    assert len(mailoutbox) == 1


def test_a_reply_alone_takes_the_ticket_and_a_note_never_emails(
    technician, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = TicketFactory(number=6102, status=Ticket.Status.OPEN, assignee=None)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_compose(
            acting_user=technician,
            ticket=ticket,
            expected_version=ticket.version,
            is_note=True,
            body="Fuser worn",
            changes={},
        )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee, len(mailoutbox)) == (Ticket.Status.OPEN, None, 0)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_compose(
            acting_user=technician,
            ticket=ticket,
            expected_version=ticket.version,
            is_note=False,
            body="On my way",
            changes={},
        )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee, len(mailoutbox)) == (Ticket.Status.IN_PROGRESS, technician, 1)


def test_a_stale_change_refuses_the_whole_press(technician):
    colleague = TechnicianFactory(username="dana")
    ticket = TicketFactory(number=6103)
    seen = ticket.version
    ticket_compose(
        acting_user=colleague, ticket=ticket, expected_version=seen, is_note=False, body="", changes={"priority": 4}
    )
    with pytest.raises(TicketChangedError):
        ticket_compose(
            acting_user=technician,
            ticket=ticket,
            expected_version=seen,
            is_note=False,
            body="Reply",
            changes={"assignee": technician},
        )
    assert not ticket.events.filter(kind=TicketEvent.Kind.REPLY).exists()  # nothing half-saved
    # With nothing changed, a reply still goes out although a colleague saved meanwhile.
    ticket_compose(
        acting_user=technician, ticket=ticket, expected_version=seen, is_note=False, body="Reply", changes={}
    )
    assert ticket.events.filter(kind=TicketEvent.Kind.REPLY).count() == 1
