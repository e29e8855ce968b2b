"""The queue's Due column comes from the stored due time, says Overdue, and sorts by it."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.alerts.helpers import chicago
from tests.factories import TicketFactory
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_queue_shows_time_left_overdue_and_paused_and_sorts_by_due(client, two_schools):
    with time_machine.travel(chicago(2026, 11, 11, 10, 0), tick=False):
        now = timezone.now()
        later = TicketFactory(number=7001, subject="Later one", due_at=now + datetime.timedelta(hours=5))
        overdue = TicketFactory(number=7002, subject="Late one", due_at=now - datetime.timedelta(minutes=1))
        TicketFactory(number=7003, subject="No target", due_at=None)
        TicketFactory(number=7004, subject="Waiting one", status=Ticket.Status.WAITING)
        client.force_login(two_schools["ana"])
        page = client.get("/queue/").content.decode()
        assert '<th scope="col">Due</th>' in page
        assert "5 h left" in page and '<strong class="text-danger-emphasis">Overdue</strong>' in page
        assert "Paused" in page
        rows = client.get("/queue/", {"sort": "due"}).context["rows"]
    numbers = [row.number for row in rows]
    assert numbers[:2] == [overdue.number, later.number]
    assert set(numbers[2:]) == {7003, 7004}
