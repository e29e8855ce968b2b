from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from routing.models import TestingWindow
from routing.services import testing_window_reminders_send
from tests.routing.factories import StaffMemberFactory, WindowFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("district_policy")]
BANNER = "Streaming is off from"


def test_banner_shows_on_public_pages_while_a_window_is_open(client):
    assert BANNER not in client.get("/").content.decode()
    WindowFactory(name="Spring state testing")
    for url in ["/", "/tickets/new/", "/policy/", "/requests/mass-email/"]:
        content = client.get(url).content.decode()
        assert "Spring state testing is on." in content and BANNER in content, url
        assert "responses to tickets may be slower" in content


def test_banner_shows_three_days_before_but_not_four(client):
    now = timezone.now()
    window = WindowFactory(starts_at=now + timedelta(days=4), ends_at=now + timedelta(days=6))
    assert BANNER not in client.get("/").content.decode()
    window.starts_at = now + timedelta(days=2, hours=23)
    window.save()
    assert "Spring state testing is coming." in client.get("/").content.decode()


def test_ticket_confirmation_and_receipt_mention_the_window(client, ticket_fields):
    WindowFactory(name="Spring state testing")
    response = client.post("/tickets/new/", {**ticket_fields, "requester_email": "pat@northpanolaschools.org"})
    assert "Spring state testing is on." in client.get(response["Location"]).content.decode()
    receipt = OutboundEmail.objects.get()
    assert "Spring state testing: streaming is off" in receipt.body_text
    assert "our response may be slower" in receipt.body_html


def test_reminder_goes_to_all_staff_three_days_before_once():
    now = timezone.now()
    StaffMemberFactory(email="a@northpanolaschools.org")
    StaffMemberFactory(email="b@northpanolaschools.org")
    StaffMemberFactory(email="gone@northpanolaschools.org", is_active=False)
    window = WindowFactory(starts_at=now + timedelta(days=4), ends_at=now + timedelta(days=6))
    assert testing_window_reminders_send(at=now) == 0

    assert testing_window_reminders_send(at=now + timedelta(days=1, hours=1)) == 1
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [
        "a@northpanolaschools.org",
        "b@northpanolaschools.org",
    ]
    assert OutboundEmail.objects.first().subject.startswith("Testing window: streaming is off from")
    assert testing_window_reminders_send(at=now + timedelta(days=2)) == 0
    window.refresh_from_db()
    assert window.reminder_sent_at is not None


def test_reminder_goes_to_the_list_address_when_set(settings):
    settings.HELPDESK_TESTING_REMINDER_TO = "allstaff@northpanolaschools.org"
    StaffMemberFactory(email="a@northpanolaschools.org")
    now = timezone.now()
    WindowFactory(starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=2))
    testing_window_reminders_send(at=now)
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["allstaff@northpanolaschools.org"]


def test_window_must_end_after_it_starts():
    now = timezone.now()
    window = TestingWindow(name="Bad", starts_at=now, ends_at=now)
    with pytest.raises(Exception, match="end after it starts"):
        window.full_clean()


def test_beat_schedule_names_real_tasks(settings):
    from helpdesk.celery import app

    app.loader.import_default_modules()
    for name in ("routing-testing-window-reminders", "routing-quote-reminders"):
        assert settings.CELERY_BEAT_SCHEDULE[name]["task"] in app.tasks, name


def test_reminder_task_runs_the_service():
    from routing.tasks import testing_window_reminders_send as task

    now = timezone.now()
    StaffMemberFactory(email="a@northpanolaschools.org")
    WindowFactory(starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=2))
    assert task.delay().get() == 1
