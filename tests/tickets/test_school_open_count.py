"""The open-ticket counts behind Schools to visit stay equal to the tickets themselves after every kind of write."""

from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from district.models import HelpDeskSettings
from inbound.processing import inbound_email_process
from tests.factories import SchoolFactory, TicketFactory
from tickets.models import SchoolOpenCount, Ticket
from tickets.selectors import school_visit_order
from tickets.services import (
    ticket_close,
    ticket_create,
    ticket_reopen,
    ticket_requester_reply_add,
    ticket_submission_add_to,
    ticket_update,
    tickets_bulk_close,
    tickets_bulk_update,
    tickets_merge,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the counts are kept by a PostgreSQL trigger"),
]


def open_counts_from_tickets() -> dict:
    rows = Ticket.objects.filter(status__in=Ticket.OPEN_STATUSES).values_list("school_id", "priority")
    return {(school, priority): n for school, priority, n in rows.annotate(n=Count("id")).order_by()}


def open_counts_kept() -> dict:
    rows = SchoolOpenCount.objects.exclude(open_count=0).values_list("school_id", "priority", "open_count")
    return {(school, priority): n for school, priority, n in rows}


@pytest.fixture
def schools(db):
    return SchoolFactory(name="Green Hill Elementary School"), SchoolFactory(name="Crenshaw Elementary School")


@pytest.fixture
def tickets(schools):
    green, crenshaw = schools
    return [
        TicketFactory(school=green, priority=Ticket.Priority.URGENT),
        TicketFactory(school=green, priority=Ticket.Priority.LOW, status=Ticket.Status.IN_PROGRESS),
        TicketFactory(school=crenshaw, priority=Ticket.Priority.HIGH, status=Ticket.Status.WAITING),
        TicketFactory(school=crenshaw, priority=Ticket.Priority.MEDIUM, status=Ticket.Status.RESOLVED),
    ]


def assert_kept():
    assert open_counts_kept() == open_counts_from_tickets()


def test_created_tickets_are_counted(tickets, schools):
    ticket_create(
        requester_email="pat.lee@northpanolaschools.org",
        subject="Projector",
        school=schools[1],
        classroom="12",
        description="The projector will not turn on.",
        priority=Ticket.Priority.URGENT,
    )
    assert_kept()
    assert open_counts_kept()[(schools[1].pk, Ticket.Priority.URGENT)] == 1


def test_status_priority_and_school_changes_move_the_count(tickets, technician, schools):
    urgent, low, waiting, _ = tickets
    ticket_update(acting_user=technician, ticket=urgent, expected_version=None, changes={"school": schools[1]})
    ticket_update(acting_user=technician, ticket=low, expected_version=None, changes={"priority": Ticket.Priority.HIGH})
    ticket_update(
        acting_user=technician, ticket=waiting, expected_version=None, changes={"status": Ticket.Status.RESOLVED}
    )
    assert_kept()
    assert (schools[0].pk, Ticket.Priority.URGENT) not in open_counts_kept()


def test_closing_reopening_and_merging_keep_the_count(tickets, technician):
    urgent, low, waiting, resolved = tickets
    ticket_close(acting_user=technician, ticket=urgent, resolution="Replaced the lamp.")
    assert_kept()
    ticket_reopen(ticket=resolved, acting_user=technician, reason="It broke again.")
    assert_kept()
    tickets_merge(acting_user=technician, source=low, target=waiting)
    assert_kept()


def test_bulk_actions_keep_the_count(tickets, technician):
    ids = [ticket.pk for ticket in tickets]
    tickets_bulk_update(acting_user=technician, ticket_ids=ids, changes={"priority": Ticket.Priority.MEDIUM})
    assert_kept()
    tickets_bulk_update(acting_user=technician, ticket_ids=ids, changes={"status": Ticket.Status.WAITING})
    assert_kept()
    tickets_bulk_close(acting_user=technician, ticket_ids=ids[:2], resolution="Fixed the network switch.")
    assert_kept()


def test_requester_writes_and_email_reopen_keep_the_count(tickets, technician, schools):
    urgent, _, waiting, resolved = tickets
    ticket_requester_reply_add(ticket=waiting, body="Here is the error text you asked for.")  # Waiting -> In progress
    ticket_submission_add_to(
        ticket=urgent, subject="Also", description="The other one too.", school=schools[1], classroom="14"
    )
    assert_kept()
    ticket_close(acting_user=technician, ticket=urgent, resolution="Replaced the lamp.")
    HelpDeskSettings.objects.update_or_create(pk=1, defaults={"closed_reply": HelpDeskSettings.ClosedReply.ALWAYS})
    message = EmailMessage()
    message["From"], message["To"] = urgent.requester_email, "helpdesk@northpanolaschools.org"
    message["Subject"] = f"Re: [Ticket #{urgent.number}] Closed"
    message.set_content("It broke again, the same error as before.")
    inbound_email_process(raw=bytes(message))
    urgent.refresh_from_db()
    assert urgent.is_open
    assert_kept()


def test_deleting_tickets_and_raw_updates_keep_the_count(tickets):
    Ticket.objects.filter(pk=tickets[0].pk).delete()
    Ticket.objects.filter(priority=Ticket.Priority.LOW).update(status=Ticket.Status.CLOSED)
    assert_kept()


def test_ranking_from_kept_counts_matches_a_full_scan(schools):
    """The scores use Urgent 8, High 4, Medium 2, Low 1 points, doubled after a week and tripled after two."""
    green, crenshaw = schools
    now = timezone.now()
    for days, priority, school in [
        (0, Ticket.Priority.URGENT, green),  # 8
        (6, Ticket.Priority.LOW, green),  # 1
        (8, Ticket.Priority.HIGH, crenshaw),  # 4 x 2
        (13, Ticket.Priority.LOW, crenshaw),  # 1 x 2
        (15, Ticket.Priority.MEDIUM, crenshaw),  # 2 x 3
        (400, Ticket.Priority.LOW, green),  # 1 x 3
    ]:
        TicketFactory(school=school, priority=priority, created_at=now - timedelta(days=days))
    ranking = school_visit_order(now=now)
    assert [(row["name"], row["score"], row["open_count"]) for row in ranking] == [
        ("Crenshaw Elementary School", 16, 3),
        ("Green Hill Elementary School", 12, 3),
    ]
    assert (ranking[0]["count_high"], ranking[1]["count_low"], ranking[1]["count_urgent"]) == (1, 2, 1)
