"""A loaner goes out from a ticket, becomes overdue, sends one reminder on its due date, and comes back."""

import time
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from devices.models import Device, Loan
from devices.services import loan_reminders_send, loan_return
from notifications.models import OutboundEmail
from tests.devices.factories import DeviceFactory
from tests.factories import TicketFactory
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db
BORROWER = "jordan.price@northpanolaschools.org"


def test_a_loan_goes_out_becomes_overdue_sends_one_reminder_and_comes_back(
    tech_client, technician, smtp_server, django_capture_on_commit_callbacks
):
    broken = DeviceFactory(asset_tag="NP-1", serial_number="S-1")
    loaner = DeviceFactory(asset_tag="LOAN-7", serial_number="S-7", is_loaner=True, assigned_to="")
    DeviceFactory(asset_tag="NP-3", serial_number="S-3", assigned_to="")  # not a loaner: never offered
    ticket = TicketFactory(device=broken)
    with time_machine.travel(date(2026, 12, 1), tick=False):
        form = tech_client.get(f"/queue/{ticket.number}/loaner/").content.decode()
        assert "LOAN-7" in form and "NP-3" not in form
        response = tech_client.post(
            f"/queue/{ticket.number}/loaner/",
            {"loaner": loaner.pk, "borrower": BORROWER, "borrower_email": "", "due_on": "2026-12-04"},
        )
        assert response.status_code == 302
    loan = Loan.objects.get()
    loaner.refresh_from_db()
    assert (loan.borrower_email, loan.ticket_number, loan.lent_by) == (BORROWER, ticket.number, technician)
    assert loaner.status == Device.Status.LOANED_OUT
    assert "Lent loaner LOAN-7" in ticket.events.get().body

    with time_machine.travel(date(2026, 12, 3), tick=False):
        assert loan_reminders_send() == 0  # not due yet
        page = tech_client.get(f"/queue/{ticket.number}/").content.decode()
        assert "Loaner <strong>LOAN-7</strong> is with" in page
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 12, 4, 9)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert loan_reminders_send() == 1
            assert loan_reminders_send() == 0  # one reminder only
    [message] = smtp_server.wait_for(1)
    assert message["To"] == BORROWER and "LOAN-7" in message["Subject"]
    assert "due back on Friday, December 4, 2026" in message.get_body(("plain",)).get_content()
    assert OutboundEmail.objects.get().idempotency_key == f"loaner-due-{loan.pk}"

    with time_machine.travel(date(2026, 12, 7), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert loan_reminders_send() == 0
        loans_page = tech_client.get("/loans/").content.decode()
        overdue = loans_page[loans_page.index("Overdue (1)") : loans_page.index("Out, not yet due")]
        assert "LOAN-7" in overdue and "overdue" in overdue
        assert "1 overdue</span>" in tech_client.get("/queue/").content.decode()  # the queue's Loaners out
        closed = tech_client.post(
            f"/queue/{ticket.number}/close/",
            {"resolution": "New screen fitted.", "version": ticket.version},
            follow=True,
        ).content.decode()
        assert "Remember to take back loaner LOAN-7 from jordan.price@northpanolaschools.org" in closed
        tech_client.post(f"/loans/{loan.pk}/return/", {"next": "loans"})
    loan.refresh_from_db()
    loaner.refresh_from_db()
    assert loan.returned_at is not None and loan.returned_to == technician
    assert loaner.status == Device.Status.IN_SERVICE
    assert "No loaner is overdue." in tech_client.get("/loans/").content.decode()
    assert "overdue</span>" not in tech_client.get("/queue/").content.decode()  # forgotten when it came back
    time.sleep(0.3)
    assert len(smtp_server.messages) == 1  # the one reminder, however often the task ran


def test_a_loaner_cannot_be_lent_twice_or_with_a_past_due_date(tech_client):
    loaner = DeviceFactory(is_loaner=True)
    ticket = TicketFactory()
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    data = {"loaner": loaner.pk, "borrower": "S1234", "due_on": due}
    assert tech_client.post(f"/queue/{ticket.number}/loaner/", data).status_code == 302
    again = tech_client.post(f"/queue/{ticket.number}/loaner/", data)
    assert again.status_code == 400 and "Select a valid choice" in again.content.decode()
    other = DeviceFactory(is_loaner=True)
    past = tech_client.post(
        f"/queue/{ticket.number}/loaner/", {**data, "loaner": other.pk, "due_on": "2020-01-01"}
    ).content.decode()
    assert "The due date is in the past" in past
    assert Loan.objects.count() == 1


def test_reminders_and_the_google_sync_run_from_beat(settings):
    from celery.schedules import crontab

    from devices import tasks

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["devices-loan-reminders"]["task"] == "devices.tasks.loan_reminders_send"
    nightly = schedule["devices-google-sync"]
    assert nightly["task"] == "devices.tasks.google_devices_sync" and isinstance(nightly["schedule"], crontab)
    assert {tasks.loan_reminders_send.name, tasks.google_devices_sync.name} == {
        schedule["devices-loan-reminders"]["task"],
        nightly["task"],
    }


def test_returning_a_loaner_twice_adds_one_note_and_changes_nothing_the_second_time(tech_client, technician):
    loaner = DeviceFactory(asset_tag="LOAN-9", is_loaner=True, assigned_to="")
    ticket = TicketFactory()
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    tech_client.post(f"/queue/{ticket.number}/loaner/", {"loaner": loaner.pk, "borrower": "S1", "due_on": due})
    loan = Loan.objects.get()
    first = tech_client.post(f"/loans/{loan.pk}/return/", follow=True).content.decode()
    assert "Loaner LOAN-9 is back and in service." in first
    loan.refresh_from_db()
    returned_at = loan.returned_at
    # A second press from another page (the loans page, still open in another tab): its own submission key.
    second = tech_client.post(f"/loans/{loan.pk}/return/", {"next": "loans"}, follow=True).content.decode()
    assert "Loaner LOAN-9 was already returned; nothing changed." in second
    assert "is back and in service" not in second
    notes = ticket.events.filter(kind=TicketEvent.Kind.NOTE, body__startswith="Loaner LOAN-9 returned")
    assert notes.count() == 1
    loan.refresh_from_db()
    assert loan.returned_at == returned_at
    assert loan_return(loan=loan, acting_user=technician) == (loan, False)
