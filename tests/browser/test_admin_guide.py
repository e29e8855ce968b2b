"""The admin guide (docs/admin-guide.md), walked step by step in Chromium as an administrator.

With HELPDESK_UPDATE_SCREENSHOTS=1 each step also writes its screenshot into docs/img/, so the guide's pictures
stay current: `HELPDESK_UPDATE_SCREENSHOTS=1 make test PYTEST_ARGS=tests/browser/test_admin_guide.py`.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from inbound.models import HeldEmail
from inbound.processing import inbound_email_process
from notifications.models import OutboundEmail
from routing.models import ClosedDay, Contact, RoutingRule, StaffMember, TestingWindow
from tests.factories import TicketFactory, UserFactory
from tests.inbound.test_processing import gmail_reply
from tests.inbound.test_sender_verification import SOFTFAIL, with_results

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults", "district_policy")]
IMAGES = Path(__file__).resolve().parents[2] / "docs" / "img"
UPDATE = os.environ.get("HELPDESK_UPDATE_SCREENSHOTS", "") not in ("", "0", "false")


@pytest.fixture
def admin_page(live_server, page):
    user = UserFactory(username="admin.guide", first_name="Alex", last_name="Admin")
    user.is_staff = user.is_superuser = True
    user.save()
    page.set_viewport_size({"width": 1000, "height": 640})
    # The navigation sidebar closed, so the pictures show the page being explained.
    page.add_init_script("window.localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("admin.guide")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Help desk settings")).to_be_visible()
    page.base = live_server.url
    return page


def shot(page, name: str) -> None:
    """Write docs/img/NAME.png when screenshots are being updated (the visible window only, to keep files small)."""
    if UPDATE:
        IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(IMAGES / f"{name}.png"), animations="disabled", caret="hide")


def test_change_a_contact(admin_page):
    page = admin_page
    page.goto(f"{page.base}/admin/routing/contact/")
    page.get_by_role("link", name="Towanda Mangrum").click()
    page.locator("#id_phone").fill("662-555-0142")
    shot(page, "contact-change")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Contact.objects.get(name="Towanda Mangrum").phone == "662-555-0142"


def test_add_a_routing_rule_and_try_it_in_the_rule_tester(admin_page):
    page = admin_page
    page.goto(f"{page.base}/admin/routing/routingrule/add/")
    page.locator("#id_name").fill("Cracked Chromebook screens")
    page.locator("#id_keywords").fill("cracked screen\nbroken screen")
    page.locator("#id_action").select_option(RoutingRule.Action.REDIRECT_PERSON.value)
    page.locator("#id_contact").select_option(label="Towanda Mangrum")
    page.locator("#id_message").fill("Cracked Chromebook screens are repaired by the device desk: email Towanda.")
    shot(page, "rule-add")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto(f"{page.base}/admin/routing/routingrule/tester/")
    page.locator("#id_subject").fill("Chromebook has a cracked screen")
    page.locator("#id_description").fill("A student dropped it in room 14. It still turns on.")
    page.get_by_role("button", name="Test").click()
    expect(page.locator("#tester-rule")).to_have_text("Cracked Chromebook screens")
    expect(page.locator("#tester-matched")).to_contain_text("cracked screen")
    page.locator("#tester-result").scroll_into_view_if_needed()
    page.mouse.wheel(0, 250)
    shot(page, "rule-tester")


def test_schedule_a_testing_window(admin_page):
    page = admin_page
    start = timezone.localdate() + timedelta(days=10)
    page.goto(f"{page.base}/admin/routing/testingwindow/add/")
    page.locator("#id_name").fill("Spring state testing")
    page.locator("#id_starts_at_0").fill(start.isoformat())
    page.locator("#id_starts_at_1").fill("07:30:00")
    page.locator("#id_ends_at_0").fill((start + timedelta(days=4)).isoformat())
    page.locator("#id_ends_at_1").fill("15:30:00")
    shot(page, "testing-window-add")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert TestingWindow.objects.get(name="Spring state testing").starts_at.date() == start


def test_add_closed_days(admin_page):
    page = admin_page
    page.goto(f"{page.base}/admin/routing/closedday/")
    page.get_by_role("button", name="Load US federal holidays for").first.click()
    expect(page.locator(".messagelist")).to_contain_text("US federal holiday")
    page.goto(f"{page.base}/admin/routing/closedday/add/")
    page.locator("#id_date").fill("2027-03-15")
    page.locator("#id_name").fill("Spring break")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    shot(page, "closed-days")
    assert ClosedDay.objects.filter(name="Spring break").exists() and ClosedDay.objects.count() > 5


def test_import_the_staff_directory(admin_page, tmp_path):
    page = admin_page
    directory = tmp_path / "staff.csv"
    directory.write_text(
        "email,name,role,school\n"
        "pat.lee@northpanolaschools.org,Pat Lee,teacher,Crenshaw Elementary School\n"
        "dana.fox@northpanolaschools.org,Dana Fox,principal,Crenshaw Elementary School\n"
    )
    call_command("import_staff", str(directory))
    page.goto(f"{page.base}/admin/routing/staffmember/")
    expect(page.get_by_role("link", name="Dana Fox")).to_be_visible()
    shot(page, "staff-directory")
    assert StaffMember.objects.count() == 2


def test_read_the_reports(admin_page):
    page = admin_page
    for days in (3, 9, 15):
        TicketFactory(created_at=timezone.now() - timedelta(days=days))
    page.goto(f"{page.base}/reports/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reports")
    shot(page, "reports")


def test_retry_a_failed_email(admin_page):
    page = admin_page
    OutboundEmail.objects.create(
        to="pat.lee@northpanolaschools.org",
        subject="[Ticket #1001] We received your ticket",
        body_text="Thank you.",
        status=OutboundEmail.Status.FAILED,
        attempts=8,
        last_error="(451, 'Mail server temporarily unavailable')",
        idempotency_key="guide-failed-email",
    )
    page.goto(f"{page.base}/admin/notifications/outboundemail/?status__exact=failed")
    page.locator("input.action-select").first.check()
    page.locator("select[name=action]").select_option("retry_selected")
    shot(page, "email-retry")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("queued again")
    assert OutboundEmail.objects.get().status != OutboundEmail.Status.FAILED


def test_accept_a_held_email(admin_page, settings):
    page = admin_page
    settings.HELPDESK_INBOUND_AUTHSERV_ID = "mx.google.com"
    TicketFactory(number=1500, requester_email="pat.lee@northpanolaschools.org", subject="Printer in room 12")
    inbound_email_process(raw=with_results(gmail_reply("Sent from my new laptop: still jammed."), SOFTFAIL))
    page.goto(f"{page.base}/queue/held-email/")
    expect(page.get_by_text("Sent from my new laptop: still jammed.")).to_be_visible()
    shot(page, "held-email")
    page.get_by_role("button", name="Accept: the sender is real").first.click()
    expect(page.get_by_role("status").first).to_contain_text("Accepted")
    assert HeldEmail.objects.get().decided_by.username == "admin.guide"
