"""Every page asks the database the same number of queries however many tickets, replies and schools there are."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import SchoolFactory, TicketFactory, TicketTypeFactory
from tickets.models import Ticket
from tickets.services import ticket_note_add, ticket_reply, ticket_search_refresh

pytestmark = pytest.mark.django_db


def queries_for(request) -> int:
    """Queries of the second of two identical requests: the steady state, after per-process caches are warm."""
    request()
    with CaptureQueriesContext(connection) as context:
        response = request()
    assert response.status_code in (200, 302), response.status_code
    return len(context.captured_queries)


def grow(technician, *, tickets: int, replies: int, schools: int) -> None:
    for n in range(schools):
        SchoolFactory(name=f"School {n}")
        TicketTypeFactory(name=f"Type {n}")
    for n in range(tickets):
        ticket = TicketFactory(subject=f"Projector {n} will not turn on", priority=1 + n % 4, assignee=technician)
        ticket_reply(acting_user=technician, ticket=ticket, body="Please check the cable.")
    busy = Ticket.objects.get(number=9900)
    for _ in range(replies):
        ticket_reply(acting_user=technician, ticket=busy, body="Any news?")
        ticket_note_add(acting_user=technician, ticket=busy, body="Waiting on a part.")
    ticket_search_refresh(ticket_ids=None)


def page_queries(technician) -> dict:
    client = Client()  # a first visit: no session yet
    school = Ticket.objects.get(number=9900).school_id
    submission = {
        "subject": "Printer in room 12 will not print",
        "priority": "1",
        "school": school,
        "classroom": "12",
        "description": "The printer shows a paper jam but there is no paper stuck inside.",
    }
    counts = {
        "public form": queries_for(lambda: client.get(reverse("tickets:submit"))),
        "public form submitted": queries_for(
            lambda: client.post(
                reverse("tickets:submit"),
                {**submission, "requester_email": f"new{Ticket.objects.count()}@northpanolaschools.org"},
            )
        ),
    }
    client.force_login(technician)
    counts |= {
        "queue": queries_for(lambda: client.get(reverse("tickets:queue"))),
        "queue searched": queries_for(lambda: client.get(reverse("tickets:queue"), {"q": "projector"})),
        "ticket page": queries_for(lambda: client.get(reverse("tickets:detail", args=[9900]))),
    }
    return counts


def test_page_queries_stay_constant_as_data_grows(technician, district_defaults):
    TicketFactory(number=9900, subject="Projector in room 9 is dim", assignee=technician)
    ticket_search_refresh(ticket_ids=None)
    small = page_queries(technician)
    grow(technician, tickets=60, replies=20, schools=5)
    large = page_queries(technician)
    assert large == small
    # The session, the user with their group, the ticket with its school, type, assignee and flags, its timeline;
    # "Who will be emailed" reads the kept technicians (alerts), no query once kept.
    assert large["ticket page"] <= 4
