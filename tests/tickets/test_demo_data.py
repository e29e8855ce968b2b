"""manage.py load_demo_data: a school week of tickets and two demo logins, on a developer's machine only."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from district.models import School
from routing.models import DeflectionLog, RoutingRule
from tickets.models import Attachment, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug(settings, district_policy):
    settings.DEBUG = True


def test_demo_week_has_every_kind_of_ticket(debug, capsys):
    """About 40 tickets at every school, with replies, notes, requester answers, closed and waiting ones."""
    call_command("load_demo_data")
    assert Ticket.objects.count() == 40
    assert set(Ticket.objects.values_list("school__name", flat=True)) == set(
        School.objects.values_list("name", flat=True)
    )
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {Ticket.Status.OPEN, Ticket.Status.IN_PROGRESS, Ticket.Status.WAITING, Ticket.Status.CLOSED} <= statuses
    kinds = set(TicketEvent.objects.values_list("kind", flat=True))
    assert {TicketEvent.Kind.REPLY, TicketEvent.Kind.NOTE, TicketEvent.Kind.REQUESTER_REPLY} <= kinds
    assert not Ticket.objects.filter(status=Ticket.Status.CLOSED, closed_at=None).exists()
    assert not Ticket.objects.filter(status=Ticket.Status.WAITING, waiting_since=None).exists()
    assert Attachment.objects.get().file.read().startswith(b"2026-11-30")
    handled = set(DeflectionLog.objects.values_list("rule__action", flat=True))
    assert handled == set(RoutingRule.Action.values)
    printed = capsys.readouterr().out
    assert "username demo.tech, password npsd-demo-tech" in printed
    assert "username demo.admin, password npsd-demo-admin" in printed


def test_demo_logins_sign_in(debug):
    call_command("load_demo_data")
    technician, admin = User.objects.get(username="demo.tech"), User.objects.get(username="demo.admin")
    assert technician.check_password("npsd-demo-tech") and admin.check_password("npsd-demo-admin")
    assert technician.groups.filter(name="Technicians").exists() and not technician.is_superuser
    assert admin.is_superuser and admin.is_staff


def test_loading_twice_adds_nothing(debug):
    call_command("load_demo_data")
    counts = (Ticket.objects.count(), TicketEvent.objects.count(), DeflectionLog.objects.count())
    call_command("load_demo_data")
    assert (Ticket.objects.count(), TicketEvent.objects.count(), DeflectionLog.objects.count()) == counts


def test_demo_queue_and_admin_open(debug, client):
    call_command("load_demo_data")
    client.force_login(User.objects.get(username="demo.tech"))
    queue = client.get("/queue/")
    assert queue.status_code == 200 and b"Wireless drops in the library" in queue.content
    client.force_login(User.objects.get(username="demo.admin"))
    assert client.get("/admin/").status_code == 200


def test_refused_without_debug(settings, district_policy):
    """The published passwords never reach a real site: a clear message, nothing created."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only loaded with DJANGO_DEBUG=true"):
        call_command("load_demo_data")
    assert not Ticket.objects.exists()
    assert not User.objects.filter(username__startswith="demo.").exists()
