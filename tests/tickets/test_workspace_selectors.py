from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import SchoolFactory, TicketFactory
from tickets.models import Ticket
from tickets.search import tickets_search
from tickets.selectors import school_visit_order
from tickets.services import ticket_note_add, ticket_reply, ticket_search_refresh

pytestmark = pytest.mark.django_db


def test_school_visit_order_weighs_priority_and_age():
    """Urgent 8, High 4, Medium 2, Low 1 points; doubled after a week open, tripled after two."""
    now = timezone.now()
    green, crenshaw, office = (
        SchoolFactory(name="Green Hill Elementary School"),
        SchoolFactory(name="Crenshaw Elementary School"),
        SchoolFactory(name="District Office"),
    )
    TicketFactory(school=green, priority=Ticket.Priority.URGENT, created_at=now)  # 8
    for _ in range(3):
        TicketFactory(school=crenshaw, priority=Ticket.Priority.LOW, created_at=now - timedelta(days=15))  # 3 x 3
    TicketFactory(school=office, priority=Ticket.Priority.MEDIUM, created_at=now - timedelta(days=8))  # 2 x 2
    TicketFactory(school=office, priority=Ticket.Priority.URGENT, status=Ticket.Status.CLOSED)  # not counted

    ranking = school_visit_order(now=now)
    assert [(row["name"], row["score"], row["open_count"]) for row in ranking] == [
        ("Crenshaw Elementary School", 9, 3),
        ("Green Hill Elementary School", 8, 1),
        ("District Office", 4, 1),
    ]
    assert (ranking[1]["count_urgent"], ranking[0]["count_low"]) == (1, 3)


@pytest.fixture
def searchable(technician):
    printer = TicketFactory(number=9001, subject="Printer jams", description="Tray two keeps jamming.")
    board = TicketFactory(
        number=9002,
        subject="Smart board",
        description="Pen does not calibrate.",
        requester_email="lee.m@northpanolaschools.org",
    )
    wifi = TicketFactory(number=9003, subject="Slow internet", description="Pages load slowly.")
    ticket_reply(acting_user=technician, ticket=wifi, body="The access point in the hallway was replaced.")
    ticket_note_add(acting_user=technician, ticket=board, body="Order a replacement stylus.")
    ticket_search_refresh(ticket_ids=None)
    return printer, board, wifi


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("printer", [9001]),
        ("jamming", [9001]),  # stemmed: "jams" and "jamming" meet on PostgreSQL; the fallback finds the word
        ("access point", [9003]),
        ("stylus", [9002]),
        ("#9002", [9002]),
        ("9003", [9003]),
        ("lee.m@northpanolaschools.org", [9002]),
        ("nothing-like-this", []),
    ],
)
def test_tickets_search_covers_number_subject_description_replies_and_requester(searchable, query, expected):
    found = list(tickets_search(Ticket.objects.all(), query).values_list("number", flat=True))
    assert found == expected


@pytest.mark.postgres
def test_search_ranks_subject_matches_first(technician):
    TicketFactory(number=9101, subject="Laptop", description="The projector cable is missing.")
    TicketFactory(number=9102, subject="Projector will not start", description="Nothing happens.")
    ticket_search_refresh(ticket_ids=None)
    assert connection.vendor == "postgresql"
    assert list(tickets_search(Ticket.objects.all(), "projector").values_list("number", flat=True)) == [9102, 9101]


def test_queue_search_from_the_page(tech_client, searchable):
    content = tech_client.get(reverse("tickets:queue"), {"q": "access point"}).content.decode()
    assert ">#9003</a>" in content and ">#9001</a>" not in content


def make_tickets(count, technician):
    for _ in range(count):
        ticket = TicketFactory(assignee=technician)
        ticket_reply(acting_user=technician, ticket=ticket, body="On it")


@pytest.mark.parametrize("count", [3, 60])
def test_queue_page_queries_do_not_grow_with_tickets(tech_client, technician, django_assert_max_num_queries, count):
    make_tickets(count, technician)
    tech_client.get(reverse("tickets:queue"))  # the first page reads schools, types and people (tickets.reference)
    with django_assert_max_num_queries(14):
        assert tech_client.get(reverse("tickets:queue")).status_code == 200
    with django_assert_max_num_queries(15):  # past the last page (3 tickets), the search is counted once more
        assert tech_client.get(reverse("tickets:queue"), {"q": "printer", "page": 2}).status_code in (200, 404)


@pytest.mark.parametrize("replies", [1, 40])
def test_ticket_page_queries_do_not_grow_with_replies(tech_client, technician, django_assert_max_num_queries, replies):
    ticket = TicketFactory(number=9500)
    for n in range(replies):
        ticket_reply(acting_user=technician, ticket=ticket, body=f"Reply {n}")
        ticket_note_add(acting_user=technician, ticket=ticket, body=f"Note {n}")
    with django_assert_max_num_queries(14):
        assert tech_client.get(reverse("tickets:detail", args=[9500])).status_code == 200


@pytest.mark.parametrize("count", [3, 60])
def test_reports_queries_do_not_grow_with_tickets(tech_client, technician, django_assert_max_num_queries, count):
    make_tickets(count, technician)
    with django_assert_max_num_queries(14):  # a fixed number: the range's tables, the headline and the workload
        assert tech_client.get(reverse("tickets:reports")).status_code == 200


def test_search_finds_what_the_requester_added(technician):
    from tickets.services import ticket_requester_reply_add

    ticket = TicketFactory(number=9601, subject="Laptop", description="Slow.")
    ticket_requester_reply_add(ticket=ticket, body="The serial number is 5CG7788XYZ")
    assert list(tickets_search(Ticket.objects.all(), "5CG7788XYZ").values_list("number", flat=True)) == [9601]
