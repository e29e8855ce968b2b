"""Tickets waiting on the requester: a reminder after 3 business days, then closing 5 business days later."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from district.models import HelpDeskSettings
from routing.models import ClosedDay
from tests.factories import TicketFactory
from tickets.models import Ticket
from tickets.services import ticket_requester_reply_add, ticket_update, waiting_tickets_follow_up

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=CHICAGO)


@pytest.fixture
def waiting_ticket(technician):
    ticket = TicketFactory(number=5100, requester_email="pat@northpanolaschools.org")
    with time_machine.travel(at("2026-12-04"), tick=False):  # a Friday
        ticket_update(acting_user=technician, ticket=ticket, expected_version=None, changes={"status": "waiting"})
    ticket.refresh_from_db()
    return ticket


def run(day: str) -> tuple[int, int]:
    with time_machine.travel(at(day), tick=False):
        return waiting_tickets_follow_up()


def test_reminder_after_three_business_days_then_close_after_five_more(
    waiting_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert run("2026-12-08") == (0, 0)  # Mon, Tue: two business days
        assert run("2026-12-09") == (1, 0)  # Wed: the third
        assert run("2026-12-10") == (0, 0)  # reminded once only
        assert run("2026-12-15") == (0, 0)  # four business days after the reminder
        assert run("2026-12-16") == (0, 1)  # the fifth: closed
    waiting_ticket.refresh_from_db()
    assert waiting_ticket.status == Ticket.Status.CLOSED
    reminder, closing = mailoutbox
    assert reminder.subject == "[Ticket #5100] We are waiting for your answer"
    assert "within 5 business days" in reminder.body and "/my/link/" in reminder.body
    assert closing.subject.startswith("[Ticket #5100] Closed") and "/tickets/reopen/" in closing.body


def test_closed_days_are_not_business_days(waiting_ticket):
    ClosedDay.objects.create(date=at("2026-12-07").date(), name="Staff development")
    assert run("2026-12-09") == (0, 0)
    assert run("2026-12-10") == (1, 0)


def test_an_answer_stops_the_clock(waiting_ticket):
    ticket_requester_reply_add(ticket=waiting_ticket, body="Here is the serial number: 5CG1234")
    waiting_ticket.refresh_from_db()
    assert (waiting_ticket.status, waiting_ticket.waiting_since) == (Ticket.Status.IN_PROGRESS, None)
    assert run("2026-12-20") == (0, 0)


def test_the_days_are_configurable(waiting_ticket):
    HelpDeskSettings.objects.update_or_create(
        pk=1, defaults={"waiting_reminder_business_days": 1, "waiting_close_business_days": 1}
    )
    assert run("2026-12-07") == (1, 0)
    assert run("2026-12-08") == (0, 1)
