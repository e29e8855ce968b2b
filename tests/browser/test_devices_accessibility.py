"""axe-core, duplicate ids and the Nu Html Checker on the device pages (as tests/browser/test_accessibility.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from devices.models import Loan
from tests.browser.test_accessibility import problems
from tests.devices.factories import DeviceFactory
from tests.factories import TechnicianFactory, TicketFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("district_defaults"),
    pytest.mark.vnu,
]


def test_device_pages(live_server, page, html_pages):
    technician = TechnicianFactory(username="casey")
    device = DeviceFactory(asset_tag="NP-10442", auto_update_expires_on=timezone.localdate())
    loaner = DeviceFactory(asset_tag="LOAN-1", is_loaner=True, status="loaned_out")
    DeviceFactory(asset_tag="LOAN-2", is_loaner=True)
    for days in (300, 100):
        TicketFactory(device=device, created_at=timezone.now() - timedelta(days=days))
    TicketFactory(number=1500, device=device)
    Loan.objects.create(
        device=loaner,
        borrower="S1029",
        ticket_number=1500,
        due_on=timezone.localdate() - timedelta(days=2),
        lent_by=technician,
    )
    pages = {}
    page.goto(live_server.url + "/tickets/new/")
    page.get_by_label("Asset tag or serial").fill("NP-10442")
    page.locator("#device-lookup-result").get_by_text("Found:").wait_for()
    pages["form with a device found"] = problems(page, page.content(), html_pages, "form with a device found")

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    for path in ["/queue/1500/", f"/devices/{device.pk}/", "/loans/", "/queue/1500/loaner/", "/reports/devices/"]:
        response = page.goto(live_server.url + path)
        pages[path] = problems(page, response.text(), html_pages, path)
    assert {path: found for path, found in pages.items() if found} == {}
