"""Each ticket's stored due time follows its priority's target, pauses while it waits, and alerts the lead once."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from alerts.clock import tickets_overdue_alert
from alerts.models import Alert, Kind, ResponseTarget, SchoolDay, TicketClock
from district.models import Priority
from routing.models import ClosedDay
from tests.alerts.helpers import chicago
from tests.factories import TechnicianFactory, TicketFactory
from tickets.models import Ticket
from tickets.services import ticket_create, ticket_reply, ticket_update

pytestmark = pytest.mark.django_db


def new_ticket(school, priority=Priority.URGENT):
    return ticket_create(
        requester_email="pat.lee@northpanolaschools.org",
        subject="The library has no internet",
        school=school,
        classroom="Library",
        description="Every computer in the library says there is no connection.",
        priority=priority,
    )


def due(ticket):
    return Ticket.objects.values_list("due_at", flat=True).get(pk=ticket.pk)


def test_the_seeded_targets_are_admin_data():
    urgent = ResponseTarget.objects.get(priority=Priority.URGENT)
    assert (urgent.first_reply_hours, urgent.resolve_hours) == (1, 9)
    assert ResponseTarget.objects.count() == 4


def test_due_is_the_first_reply_target_then_the_resolution_target(two_schools):
    with time_machine.travel(chicago(2026, 11, 13, 15, 30), tick=False) as clock:  # Friday
        ticket = new_ticket(two_schools["a"])
        assert due(ticket) == chicago(2026, 11, 16, 7, 30)  # 1 school hour: half now, half on Monday
        clock.move_to(chicago(2026, 11, 16, 7, 10))
        ticket_reply(acting_user=two_schools["ana"], ticket=ticket, body="On my way.")
        assert due(ticket) == chicago(2026, 11, 16, 15, 30)  # 9 school hours: half an hour Friday, 8.5 Monday


def test_the_clock_pauses_while_waiting_on_the_requester_and_over_a_closed_day(two_schools):
    ClosedDay.objects.create(date=datetime.date(2026, 11, 12), name="Staff development")
    ana = two_schools["ana"]
    with time_machine.travel(chicago(2026, 11, 11, 9, 0), tick=False) as clock:  # Wednesday
        ticket = new_ticket(two_schools["a"], priority=Priority.HIGH)  # 4 hours to first reply
        assert due(ticket) == chicago(2026, 11, 11, 13, 0)
        clock.move_to(chicago(2026, 11, 11, 10, 0))
        ticket_update(acting_user=ana, ticket=ticket, expected_version=None, changes={"status": Ticket.Status.WAITING})
        assert due(ticket) is None
        clock.move_to(chicago(2026, 11, 13, 8, 0))  # Friday, after the closed Thursday: 1 school hour waited
        ticket_update(
            acting_user=ana, ticket=ticket, expected_version=None, changes={"status": Ticket.Status.IN_PROGRESS}
        )
        assert due(ticket) == chicago(2026, 11, 13, 11, 0)  # 3 hours left, from Friday 8:00


def test_raising_the_priority_tightens_the_due_time(two_schools):
    with time_machine.travel(chicago(2026, 11, 11, 9, 0), tick=False):
        ticket = new_ticket(two_schools["a"], priority=Priority.LOW)
        ticket_update(
            acting_user=two_schools["ana"], ticket=ticket, expected_version=None, changes={"priority": Priority.URGENT}
        )
        assert due(ticket) == chicago(2026, 11, 11, 10, 0)


def test_an_overdue_ticket_alerts_the_lead_once(two_schools):
    lead = TechnicianFactory(username="lee", email="lee@northpanolaschools.org")
    SchoolDay.objects.filter(pk=1).update(lead_technician=lead)
    with time_machine.travel(chicago(2026, 11, 11, 9, 0), tick=False) as clock:
        ticket = new_ticket(two_schools["a"])
        assert tickets_overdue_alert() == 0
        clock.move_to(chicago(2026, 11, 11, 10, 30))
        assert tickets_overdue_alert() == 1
        assert tickets_overdue_alert() == 0
    [alert] = Alert.objects.filter(kind=Kind.OVERDUE)
    assert alert.recipient == lead and alert.ticket_id == ticket.pk and alert.sent_at is not None


def test_a_lead_who_switched_overdue_alerts_off_gets_none_but_the_ticket_is_still_marked(two_schools):
    from alerts.models import AlertPreference, Delivery

    lead = TechnicianFactory(username="lee", email="lee@northpanolaschools.org")
    AlertPreference.objects.create(user=lead, kind=Kind.OVERDUE, delivery=Delivery.OFF)
    SchoolDay.objects.filter(pk=1).update(lead_technician=lead)
    with time_machine.travel(chicago(2026, 11, 11, 9, 0), tick=False) as clock:
        new_ticket(two_schools["a"])
        clock.move_to(chicago(2026, 11, 11, 10, 30))
        assert tickets_overdue_alert() == 1
        assert tickets_overdue_alert() == 0
    assert not Alert.objects.filter(kind=Kind.OVERDUE).exists()


def test_changing_the_school_hours_in_admin_moves_due_times_at_once(two_schools):
    school_day = SchoolDay.load()
    school_day.starts_at = datetime.time(8, 0)
    school_day.save()  # forgets the kept calendar
    with time_machine.travel(chicago(2026, 11, 13, 15, 30), tick=False):  # Friday
        ticket = new_ticket(two_schools["a"])
    assert due(ticket) == chicago(2026, 11, 16, 8, 30)


def test_open_tickets_from_before_the_upgrade_get_due_times_without_flooding_the_lead(in_school_hours):
    lead = TechnicianFactory(username="lee", email="lee@northpanolaschools.org")
    SchoolDay.objects.update_or_create(pk=1, defaults={"lead_technician": lead})
    old, recent, closed = TicketFactory(number=8801), TicketFactory(number=8802), TicketFactory(number=8803)
    Ticket.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    Ticket.objects.filter(pk=closed.pk).update(status=Ticket.Status.CLOSED)
    assert not TicketClock.objects.exists()  # made without ticket_create: no clock, no due time
    call_command("start_ticket_clocks")
    for ticket in (old, recent, closed):
        ticket.refresh_from_db()
    assert old.due_at < timezone.now() < recent.due_at and closed.due_at is None
    assert tickets_overdue_alert() == 0  # a target that did not exist when it arrived is not reported
    call_command("start_ticket_clocks")
    assert TicketClock.objects.count() == 2
