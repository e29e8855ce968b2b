"""The ticket form's Asset tag or serial in a real browser, and the ticket page's device panel."""

import re

import pytest
from playwright.sync_api import expect

from tests.devices.factories import DeviceFactory
from tests.factories import SchoolFactory, TechnicianFactory, TicketFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults")]
PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}
PERSON = "jordan.price@northpanolaschools.org"


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_scanned_tag_shows_the_device_enter_does_not_submit_and_the_person_stays_hidden(live_server, page, viewport):
    from tickets.models import Ticket

    school = SchoolFactory(name="Panola High School")
    device = DeviceFactory(asset_tag="NP-10442", school=school, assigned_to=PERSON, room="Room 214")
    page.set_viewport_size(viewport)
    answers = []
    page.on("response", lambda r: answers.append(r) if "/devices/lookup/" in r.url else None)
    page.goto(f"{live_server.url}/tickets/new/")
    field = page.get_by_label("Asset tag or serial")
    field.press_sequentially("NP-10442")
    field.press("Enter")  # what a USB barcode scanner does after the number
    result = page.locator("#device-lookup-result")
    expect(result).to_contain_text("Found: Chromebook, Dell Chromebook 3110, Panola High School")
    assert page.url == f"{live_server.url}/tickets/new/" and Ticket.objects.count() == 0
    expect(page.get_by_role("heading", name=re.compile("Please correct"))).to_have_count(0)
    assert answers and all(PERSON not in a.text() and "Room 214" not in a.text() for a in answers)
    assert PERSON not in page.content() and "jordan" not in page.content().lower()

    field.fill("NP-0000")
    expect(result).to_contain_text("We do not know “NP-0000” yet")
    field.fill("np-10442")
    expect(result).to_contain_text("Found:")
    page.get_by_label("Requester").fill("pat@northpanolaschools.org")
    page.get_by_label("Subject").fill("Chromebook will not charge")
    page.get_by_label("School").select_option(label="Panola High School")
    page.get_by_label("Classroom number").fill("214")
    page.get_by_label("Description").fill("The charging light stays off with two different chargers.")
    page.get_by_role("button", name="Submit", exact=True).last.click()
    expect(page.get_by_role("heading", name="Thank you. Your ticket is in.")).to_be_visible()
    assert Ticket.objects.get().device == device
    assert PERSON not in page.content()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_technician_sees_the_device_panel_and_sets_the_device_in_repair(live_server, page, viewport):
    TechnicianFactory(username="casey")
    device = DeviceFactory(asset_tag="NP-10442", assigned_to=PERSON)
    TicketFactory(number=1400, subject="Screen flickers", device=device)
    TicketFactory(number=1401, subject="Keyboard dead", device=device)
    TicketFactory(number=1402, subject="No device here")
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/accounts/login/?next=/queue/1402/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()

    panel = page.locator("#device-panel")
    expect(panel).to_contain_text("No device is attached to this ticket.")
    page.get_by_label("Attach a device").fill("NP-10442")
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Device set to NP-10442")
    expect(panel).to_contain_text(PERSON)
    expect(panel.get_by_role("link", name="#1401")).to_be_visible()
    expect(panel).to_contain_text("Third repair in 12 months")
    panel.get_by_role("button", name="Mark In repair").click()
    expect(page.locator("#device-panel")).to_contain_text("In repair")
    expect(page.get_by_text("Changed device status from In service to In repair")).to_be_visible()
    page.locator("#device-panel").get_by_role("link", name="NP-10442").click()
    expect(page.get_by_role("heading", name="Chromebook NP-10442")).to_be_visible()
    expect(page.get_by_role("link", name="#1402")).to_be_visible()
