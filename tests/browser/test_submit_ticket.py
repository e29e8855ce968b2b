import re

import pytest
from playwright.sync_api import expect

from tests.files import png_bytes
from tickets.models import Ticket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults")]


def fill_ticket_form(page, requester: str):
    page.get_by_label("Requester").fill(requester)
    page.get_by_label("Subject").fill("Smart board in room 14 does not respond to touch")
    page.get_by_label("Type").select_option(label="Interactive board / Projector")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_label("School").select_option(label="Crenshaw Elementary School")
    page.get_by_label("Classroom number").fill("14")
    page.get_by_label("Description").fill("The board shows the picture but touching it does nothing since Monday.")


def test_staff_member_submits_a_ticket_and_reads_its_number(live_server, page, tmp_path):
    screenshot = tmp_path / "screen.png"
    screenshot.write_bytes(png_bytes())
    page.goto(live_server.url)
    page.get_by_role("link", name="Submit a ticket").first.click()
    fill_ticket_form(page, "Pat.Lee@northpanolaschools.org")
    page.get_by_label("Attach a file").set_input_files(str(screenshot))
    page.get_by_role("button", name="Submit").click()

    number = page.locator("#ticket-number")
    expect(number).to_have_text(re.compile(r"Ticket #\d+"))
    ticket = Ticket.objects.get()
    assert number.inner_text() == f"Ticket #{ticket.number}"
    assert (ticket.requester_email, ticket.school.name, ticket.get_priority_display()) == (
        "pat.lee@northpanolaschools.org",
        "Crenshaw Elementary School",
        "High",
    )
    assert ticket.attachments.get().original_name == "screen.png"


def test_dot_com_address_is_corrected_before_anything_is_saved(live_server, page):
    page.goto(f"{live_server.url}/tickets/new/")
    fill_ticket_form(page, "pat.lee@northpanolaschools.com")
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_role("alert")).to_contain_text("Please correct 1 thing below")
    requester = page.get_by_label("Requester")
    expect(requester).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_requester_email_error")).to_contain_text("We are @northpanolaschools.org, not .com.")
    expect(page.get_by_label("Description")).to_have_value(re.compile("touching it does nothing"))
    assert Ticket.objects.count() == 0
