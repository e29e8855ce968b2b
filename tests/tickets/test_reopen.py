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


def feedback_paths(body):
    import re

    return re.findall(r"http://127\.0\.0\.1:8000(/tickets/feedback/\S+/)", body)


def test_closing_email_asks_if_it_was_solved(technician, client, mailoutbox, django_capture_on_commit_callbacks):
    ticket = TicketFactory(number=1900)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_close(acting_user=technician, ticket=ticket, resolution="Replaced the cable.")
    solved, not_solved = feedback_paths(mailoutbox[0].body)
    assert solved.endswith("/solved/") and not_solved.endswith("/not_solved/")

    client.get(not_solved)  # a mail scanner opening the link records nothing
    ticket.refresh_from_db()
    assert ticket.satisfaction == ""
    response = client.post(not_solved, {"answer": "not_solved", "comment": "Still flickers."})
    assert "Thank you for your answer" in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.satisfaction, ticket.satisfaction_comment) == ("not_solved", "Still flickers.")

    tech = client
    tech.force_login(technician)
    assert "Still flickers." in tech.get(f"/queue/{ticket.number}/").content.decode()
    report = tech.get("/reports/")
    assert report.context["satisfaction"] == [{"name": ticket.school.name, "closed": 1, "solved": 0, "not_solved": 1}]


def test_feedback_link_with_a_bad_answer_or_token_is_refused(client, closed_ticket):
    assert client.get("/tickets/feedback/bad-token/solved/").status_code == 410
