import re

import pytest
from playwright.sync_api import TimeoutError, expect

from routing.models import DeflectionLog, RoutingRule, ServiceRequest
from routing.selectors import district_today, earliest_on_time_date
from tests.routing.factories import WindowFactory
from tickets.models import Ticket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults", "district_policy")]


def fill_ticket_form(page, *, subject: str, description: str):
    page.get_by_label("Requester").fill("pat.lee@northpanolaschools.org")
    page.get_by_label("School").select_option(label="Crenshaw Elementary School")
    page.get_by_label("Classroom number").fill("14")
    page.get_by_label("Subject").fill(subject)
    page.get_by_label("Description").fill(description)


def test_sam_question_is_sent_to_towanda_mangrum_for_me(live_server, page, smtp_server):
    """While typing, the SAM message appears; one click emails Towanda, Reply-To the requester, with a copy."""
    page.goto(f"{live_server.url}/tickets/new/")
    fill_ticket_form(page, subject="SAM password", description="Please reset my SAM password, it expired today.")

    panel = page.locator("#routing-panel")
    expect(panel).to_contain_text("handled by Towanda Mangrum")  # live, before any submit
    assert DeflectionLog.objects.count() == 0
    page.get_by_role("button", name="Send this to Towanda Mangrum for me").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("on its way to Towanda Mangrum")
    messages = smtp_server.wait_for(2)
    by_recipient = {message["To"]: message for message in messages}
    to_towanda = by_recipient["tmangrum@northpanolaschools.org"]
    assert to_towanda["Reply-To"] == "pat.lee@northpanolaschools.org"
    assert "Please reset my SAM password" in to_towanda.get_body(("plain",)).get_content()
    assert "Copy of your request" in by_recipient["pat.lee@northpanolaschools.org"]["Subject"]
    assert Ticket.objects.count() == 0
    assert DeflectionLog.objects.get().outcome == DeflectionLog.Outcome.FORWARDED


def test_my_request_is_different_submits_the_ticket(live_server, page):
    page.goto(f"{live_server.url}/tickets/new/")
    fill_ticket_form(
        page, subject="SAM Labs robot kit", description="The SAM Labs robot kit will not pair by Bluetooth."
    )
    page.get_by_role("button", name="Submit").click()  # without waiting for the live message: the server decides

    expect(page.get_by_role("alert").first).to_contain_text("Please read the note below the form")
    # Enter submits the ticket, never "Send this … for me", which would land on /routing/sent/ with the email gone.
    with page.expect_navigation():  # the POST has been answered and the new page loaded before anything is checked
        page.get_by_label("Classroom number").press("Enter")
    assert page.url == f"{live_server.url}/tickets/new/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit a ticket")
    expect(page.get_by_role("alert").first).to_contain_text("Please read the note below the form")
    assert not DeflectionLog.objects.filter(outcome=DeflectionLog.Outcome.FORWARDED).exists()
    page.get_by_label("My request is different: submit it as a ticket").check()
    page.get_by_role("button", name="Submit", exact=True).click()

    expect(page.locator("#ticket-number")).to_have_text(re.compile(r"Ticket #\d+"))
    ticket = Ticket.objects.get()
    assert ticket.overridden_rule == RoutingRule.objects.get(name="SAM Spectra 7 questions")
    assert DeflectionLog.objects.latest("created_at").outcome == DeflectionLog.Outcome.OVERRIDDEN


def test_staff_member_sends_a_mass_email_request(live_server, page, tmp_path):
    event_date = earliest_on_time_date(requested_on=district_today(), lead_business_days=7)
    flyer = tmp_path / "flyer.pdf"
    flyer.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.goto(live_server.url)
    page.get_by_role("link", name="Mass email request").click()
    page.get_by_label("Requester").fill("pat.lee@northpanolaschools.org")
    page.get_by_label("Event name").fill("Winter band concert")
    page.get_by_label("Event date").fill(event_date.isoformat())
    page.get_by_label("Event time").fill("18:30")
    page.get_by_label("Location").fill("NPHS gym")
    page.get_by_label("Fee (if charging)").fill("$5")
    page.get_by_label("Details").fill("All families welcome.")
    page.get_by_label("Supporting documents").set_input_files(str(flyer))
    page.get_by_role("button", name="Send the request").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("mass email request is on its way")
    sent = ServiceRequest.objects.get()
    assert (sent.event_date, sent.mailbox, sent.files.get().original_name) == (
        event_date,
        "mass@northpanolaschools.org",
        "flyer.pdf",
    )


def test_testing_banner_is_on_every_public_page(live_server, page):
    WindowFactory(name="Spring state testing")
    page.goto(live_server.url)
    banner = page.get_by_role("region", name="Testing window")
    expect(banner).to_contain_text("Spring state testing is on.")
    expect(banner).to_contain_text("responses to tickets may be slower")
    page.get_by_role("link", name="Submit a ticket").first.click()
    expect(page.get_by_role("region", name="Testing window")).to_be_visible()


PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}


def in_viewport(page, selector: str) -> bool:
    """Whether the element's top comes to rest on the screen (Bootstrap scrolls smoothly, so this waits for it)."""
    script = (
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return r.top > -2 && r.top < window.innerHeight; }"
    )
    try:
        page.wait_for_function(script, arg=selector, timeout=3000)
    except TimeoutError:
        return False
    return True


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_after_a_routing_answer_the_hand_on_is_the_one_primary_action_and_the_note_has_focus(
    live_server, page, viewport
):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/tickets/new/")
    fill_ticket_form(page, subject="SAM password", description="Please reset my SAM password, it expired today.")
    send = page.get_by_role("button", name="Send this to Towanda Mangrum for me")
    submit = page.get_by_role("button", name="Submit", exact=True)
    expect(send).to_be_visible()  # live, while typing
    expect(send).to_have_class(re.compile(r"\bbtn-primary\b"))
    expect(submit).not_to_have_class(re.compile(r"\bbtn-primary\b"))

    with page.expect_navigation():
        submit.click()
    # The server's answer: the note is where focus and the screen are, not two phone screens down.
    assert page.evaluate("document.activeElement.id") == "routing-panel"
    assert in_viewport(page, "#routing-panel")
    expect(send).to_have_class(re.compile(r"\bbtn-primary\b"))
    expect(submit).not_to_have_class(re.compile(r"\bbtn-primary\b"))
    page.get_by_label("My request is different: submit it as a ticket").check()
    expect(submit).to_have_class(re.compile(r"\bbtn-primary\b"))


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_after_an_invalid_submit_focus_is_on_the_error_summary(live_server, page, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/tickets/new/")
    page.get_by_label("Requester").fill("pat.lee@northpanolaschools.org")
    page.get_by_label("Subject").fill("Printer offline")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit", exact=True).click()
    assert page.evaluate("document.activeElement.id") == "form-errors"
    assert in_viewport(page, "#form-errors")
    expect(page.get_by_label("Subject")).to_have_value("Printer offline")  # nothing typed is lost


def test_did_you_mean_is_a_button_that_fixes_the_address(live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/tickets/new/")
    fill_ticket_form(page, subject="Printer offline", description="The printer in room 14 says it is offline.")
    page.get_by_label("Requester").fill("pat.lee@northpanolaschools.com")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit", exact=True).click()
    # The error alone says what to do: the field's help text, which says the same, is not repeated under it.
    expect(page.get_by_text("We are .org and not .com")).to_have_count(0)
    page.get_by_role("button", name="Use pat.lee@northpanolaschools.org").click()
    expect(page.get_by_label("Requester")).to_have_value("pat.lee@northpanolaschools.org")
    expect(page.get_by_role("status").filter(has_text="Changed to pat.lee@northpanolaschools.org.")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator("#ticket-number")).to_have_text(re.compile(r"Ticket #\d+"))
    assert Ticket.objects.get().requester_email == "pat.lee@northpanolaschools.org"
