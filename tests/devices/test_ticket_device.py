"""The ticket page's device panel, attaching a device, its status, and the queue's search by tag or serial."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devices.models import Device, Loan
from devices.selectors import loaners_available
from tests.devices.factories import DeviceFactory
from tests.factories import SchoolFactory, TicketFactory
from tickets.device_selectors import ticket_device_panel
from tickets.models import Ticket, TicketEvent
from tickets.selectors import ticket_for_technician
from tickets.services import ticket_close
from tickets.services.devices import DeviceStatusError, ticket_device_status_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(db):
    return DeviceFactory(asset_tag="NP-10442", serial_number="5CD2201XYZ", school=SchoolFactory(name="Panola High"))


def ticket_page(client, ticket) -> str:
    response = client.get(f"/queue/{ticket.number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_ticket_with_a_known_tag_shows_the_device_and_its_earlier_tickets(tech_client, device):
    now = timezone.now()
    old = TicketFactory(subject="Screen cracked", device=device, created_at=now - timedelta(days=500))
    recent = TicketFactory(subject="Will not charge", device=device, created_at=now - timedelta(days=30))
    TicketFactory(subject="Someone else's laptop")
    ticket = TicketFactory(subject="Keyboard dead", device=device)
    page = ticket_page(tech_client, ticket)
    assert "NP-10442" in page and "5CD2201XYZ" in page and "Dell Chromebook 3110" in page and "Panola High" in page
    assert "jordan.price@northpanolaschools.org" in page  # technicians see who has it
    earlier = page[page.index("Earlier tickets for this device") :]
    assert earlier.index(f"#{recent.number}") < earlier.index(f"#{old.number}")  # newest first
    assert "Someone else" not in earlier
    assert "Third repair in 12 months" not in page  # the one 500 days ago is outside the year


def test_the_third_repair_in_twelve_months_warns(tech_client, device):
    now = timezone.now()
    TicketFactory(device=device, created_at=now - timedelta(days=200))
    TicketFactory(device=device, created_at=now - timedelta(days=20))
    assert "Third repair in 12 months" in ticket_page(tech_client, TicketFactory(device=device))


def test_the_device_panel_costs_no_query_of_its_own(tech_client, device):
    """Its earlier tickets come in the ticket's own query (a JSON array on PostgreSQL)."""
    plain, with_device = TicketFactory(), TicketFactory(device=device)
    TicketFactory(device=device, created_at=timezone.now() - timedelta(days=3))

    def count(ticket):
        ticket_page(tech_client, ticket)
        with CaptureQueriesContext(connection) as context:
            ticket_page(tech_client, ticket)
        return len(context.captured_queries), [q["sql"] for q in context.captured_queries]

    plain_count, plain_sql = count(plain)
    device_count, _ = count(with_device)
    # Only the ticket's own query names the devices tables (a join, and the has_loans flag); no query of its own.
    assert not any(sql.split(" WHERE ")[0].split(" FROM ")[1].startswith('"devices_') for sql in plain_sql)
    assert device_count == plain_count  # its earlier tickets come with the ticket
    Loan.objects.create(
        device=DeviceFactory(is_loaner=True),
        borrower="S1",
        ticket_number=with_device.number,
        due_on=timezone.localdate(),
    )
    assert count(with_device)[0] == plain_count + 1  # the loaners lent from this ticket
    assert count(plain)[0] == plain_count


def test_the_panel_reads_earlier_tickets_itself_when_the_ticket_was_read_without_them(device):
    """As on SQLite, where the ticket's query has no JSON array: the same list, newest first, from one query."""
    now = timezone.now()
    old = TicketFactory(device=device, created_at=now - timedelta(days=40), subject="Cracked screen")
    recent = TicketFactory(device=device, created_at=now - timedelta(days=4), subject="Will not charge")
    ticket = TicketFactory(device=device)
    TicketFactory(device=device, created_at=now + timedelta(days=1))  # later: not earlier
    from_page = ticket_device_panel(ticket=ticket_for_technician(number=ticket.number))
    plain = Ticket.objects.select_related("device").get(pk=ticket.pk)
    plain.has_loans = False  # as the ticket page's query says: no loaners to ask for
    with CaptureQueriesContext(connection) as context:
        by_itself = ticket_device_panel(ticket=plain)
    assert len(context.captured_queries) == 1
    assert by_itself.earlier == from_page.earlier
    assert [(t.number, t.subject) for t in by_itself.earlier] == [
        (recent.number, recent.subject),
        (old.number, old.subject),
    ]
    assert by_itself.earlier[0].created_at == recent.created_at and by_itself.repairs_in_year == 3


def test_a_technician_attaches_changes_and_removes_the_device(tech_client, device, technician):
    ticket = TicketFactory()
    other = DeviceFactory(asset_tag="NP-555", serial_number="SER555")
    tech_client.post(f"/queue/{ticket.number}/device/", {"reference": "5cd2201xyz"})
    ticket.refresh_from_db()
    assert ticket.device == device
    tech_client.post(f"/queue/{ticket.number}/device/", {"reference": "NP-555"})
    ticket.refresh_from_db()
    assert ticket.device == other
    response = tech_client.post(f"/queue/{ticket.number}/device/", {"reference": "NOPE-1"}, follow=True)
    assert "No device has the asset tag or serial “NOPE-1”" in response.content.decode()
    tech_client.post(f"/queue/{ticket.number}/device/", {"remove": "yes"})
    ticket.refresh_from_db()
    assert ticket.device is None
    changes = list(ticket.events.filter(field_name="Device").values_list("old_value", "new_value"))
    assert changes == [("None", "NP-10442"), ("NP-10442", "NP-555"), ("NP-555", "None")]


def test_setting_the_device_status_is_recorded_on_the_ticket_and_the_device(tech_client, device, technician):
    ticket = TicketFactory(device=device)
    tech_client.post(f"/queue/{ticket.number}/device/status/", {"status": "in_repair"})
    device.refresh_from_db()
    assert device.status == Device.Status.IN_REPAIR
    event = ticket.events.get(kind=TicketEvent.Kind.CHANGE, field_name="Device status")
    assert (event.old_value, event.new_value, event.author) == ("In service", "In repair", technician)
    record = device.history.first()
    assert (record.status, record.history_user) == ("in_repair", technician)
    tech_client.post(f"/queue/{ticket.number}/device/status/", {"status": "in_service"})
    device.refresh_from_db()
    assert device.status == Device.Status.IN_SERVICE
    assert tech_client.post(f"/queue/{ticket.number}/device/status/", {"status": "lost"}).status_code == 302
    device.refresh_from_db()
    assert device.status == Device.Status.IN_SERVICE  # Lost is not set from a ticket


def test_device_actions_are_for_technicians_only(client, device):
    ticket = TicketFactory()
    response = client.post(f"/queue/{ticket.number}/device/", {"reference": "NP-10442"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    ticket.refresh_from_db()
    assert ticket.device is None
    assert client.get(f"/devices/{device.pk}/").status_code == 302


@pytest.mark.parametrize("query", ["5CD2201XYZ", "5cd2201xyz", "NP-10442"])
def test_queue_search_by_serial_or_tag_finds_the_ticket(tech_client, device, query):
    found = TicketFactory(subject="Will not charge", device=device)
    TicketFactory(subject="Printer jam")
    page = tech_client.get("/queue/", {"q": query, "status": "all"}).content.decode()
    assert f"/queue/{found.number}/" in page
    assert "Printer jam" not in page


def test_the_device_page_lists_tickets_loans_and_history(tech_client, device):
    ticket = TicketFactory(subject="Will not charge", device=device)
    device.room = "Room 9"
    device.save()
    page = tech_client.get(f"/devices/{device.pk}/").content.decode()
    assert f"#{ticket.number}" in page and "Will not charge" in page and "Never lent." in page
    assert "room from “12” to “Room 9”" in page
    assert Ticket.objects.filter(device=device).count() == 1


def test_a_device_out_on_loan_keeps_its_status_until_it_is_returned(tech_client, technician):
    loaner = DeviceFactory(asset_tag="LOAN-3", is_loaner=True, assigned_to="")
    lending = TicketFactory()
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    tech_client.post(f"/queue/{lending.number}/loaner/", {"loaner": loaner.pk, "borrower": "S1", "due_on": due})
    ticket = TicketFactory(device=loaner)  # the loaner itself comes in with a problem while it is out
    for status in ("in_service", "in_repair"):
        response = tech_client.post(f"/queue/{ticket.number}/device/status/", {"status": status}, follow=True)
        assert "LOAN-3 is out on loan. Return the loaner first" in response.content.decode()
        loaner.refresh_from_db()
        assert loaner.status == Device.Status.LOANED_OUT
    assert not ticket.events.filter(field_name="Device status").exists()
    assert loaner not in loaners_available()  # never offered again while it is out


@pytest.mark.parametrize("status", [Device.Status.LOST, Device.Status.RETIRED])
def test_a_lost_or_retired_device_is_not_set_in_service_from_a_ticket(tech_client, technician, status):
    device = DeviceFactory(asset_tag="NP-77", status=status)
    ticket = TicketFactory(device=device)
    with pytest.raises(DeviceStatusError, match="change its status in admin first"):
        ticket_device_status_set(acting_user=technician, ticket=ticket, status=Device.Status.IN_SERVICE)
    response = tech_client.post(f"/queue/{ticket.number}/device/status/", {"status": "in_repair"}, follow=True)
    assert f"NP-77 is marked {status.label}" in response.content.decode()
    device.refresh_from_db()
    assert device.status == status


def test_a_closed_tickets_device_status_and_loaners_stay_as_they_were(tech_client, technician, device):
    ticket = ticket_close(acting_user=technician, ticket=TicketFactory(device=device), resolution="Fixed.")
    loaner = DeviceFactory(is_loaner=True, assigned_to="")
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    refused = f"Ticket {ticket.display_number} is closed, so its device cannot be changed here. Reopen the ticket"
    posts = [
        ("device/", {"reference": "NP-555"}),
        ("device/", {"remove": "yes"}),
        ("device/status/", {"status": "in_repair"}),
        ("loaner/", {"loaner": loaner.pk, "borrower": "S1", "due_on": due}),
    ]
    DeviceFactory(asset_tag="NP-555")
    for path, data in posts:
        response = tech_client.post(f"/queue/{ticket.number}/{path}", data, follow=True)
        assert refused in response.content.decode()
    assert refused in tech_client.get(f"/queue/{ticket.number}/loaner/", follow=True).content.decode()
    ticket.refresh_from_db()
    device.refresh_from_db()
    loaner.refresh_from_db()
    assert (ticket.device, device.status, loaner.status) == (device, "in_service", "in_service")
    assert not Loan.objects.exists()
    page = ticket_page(tech_client, ticket)
    assert "Mark In repair" not in page and "Change the device" not in page  # no buttons that would be refused
