from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import TicketFactory
from tickets.links import reopen_token
from tickets.models import Ticket, TicketEvent
from tickets.services import ticket_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_ticket(technician):
    ticket = TicketFactory(number=1800)
    return ticket_close(acting_user=technician, ticket=ticket, resolution="Done")


def test_closing_email_carries_a_working_reopen_link(
    technician, client, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = TicketFactory(number=1801)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_close(acting_user=technician, ticket=ticket, resolution="Replaced the cable.")
    [closing] = mailoutbox
    assert "There is no need to reply to this email." in closing.body
    link = next(line for line in closing.body.splitlines() if "/tickets/reopen/" in line).strip()
    path = link.split("127.0.0.1:8000", 1)[1]
    assert "Reopen this ticket" in client.get(path).content.decode()
    client.post(path)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.events.filter(kind=TicketEvent.Kind.REOPENED).exists()


def test_opening_the_link_does_not_reopen(client, closed_ticket):
    """Mail scanners open links; only the button reopens."""
    client.get(f"/tickets/reopen/{reopen_token(closed_ticket)}/")
    closed_ticket.refresh_from_db()
    assert closed_ticket.status == Ticket.Status.CLOSED


def test_link_expires_after_14_days(client, closed_ticket):
    token = reopen_token(closed_ticket)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = client.post(f"/tickets/reopen/{token}/")
    assert response.status_code == 410 and "submit a new ticket" in response.content.decode()
    closed_ticket.refresh_from_db()
    assert closed_ticket.status == Ticket.Status.CLOSED


def test_forged_link_is_refused(client, closed_ticket):
    assert client.post(f"/tickets/reopen/{closed_ticket.public_id}:abc:def/").status_code == 410
