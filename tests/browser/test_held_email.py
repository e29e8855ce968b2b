import pytest
from playwright.sync_api import expect

from inbound.models import HeldEmail
from inbound.processing import inbound_email_process
from tests.browser.test_accessibility import violations
from tests.factories import TechnicianFactory, TicketFactory
from tests.inbound.test_processing import PAT, gmail_reply
from tests.inbound.test_sender_verification import (
    M365_DMARC_FAIL,
    M365_PASS,
    SOFTFAIL,
    TENANT,
    m365_received,
    with_results,
)
from tickets.models import TicketEvent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults")]


def test_technician_accepts_a_held_reply_from_the_workspace(live_server, page, settings):
    """A reply our mail server could not confirm waits on Held email; Accept puts it on the ticket."""
    settings.HELPDESK_INBOUND_AUTHSERV_ID = "mx.google.com"
    TechnicianFactory(username="casey", first_name="Casey", last_name="Jones")
    ticket = TicketFactory(number=1500, requester_email=PAT, subject="Printer in room 12")
    inbound_email_process(raw=with_results(gmail_reply("Sent from my new laptop: still jammed."), SOFTFAIL))

    page.goto(f"{live_server.url}/queue/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Held email").click()

    expect(page.get_by_text("Sent from my new laptop: still jammed.")).to_be_visible()
    expect(page.get_by_text("spf=softfail")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("link", name="ticket #1500").click()
    assert violations(page) == []
    page.get_by_role("button", name="Accept: the sender is real").click()

    expect(page.get_by_role("status").first).to_contain_text("Accepted. Added to an open ticket (ticket #1500).")
    expect(page.locator(".timeline")).to_contain_text("Sent from my new laptop: still jammed.")
    expect(page.get_by_role("heading", name="Held email for this ticket")).to_have_count(0)
    assert ticket.events.filter(kind=TicketEvent.Kind.REQUESTER_REPLY).count() == 1
    assert HeldEmail.objects.get().decided_by.username == "casey"


def test_with_microsoft_365_a_forged_reply_waits_and_a_confirmed_one_reaches_the_ticket(live_server, page, settings):
    """Microsoft 365's own header decides; the technician reads why the forged one was held."""
    settings.HELPDESK_INBOUND_AUTHSERV_ID = ""
    settings.HELPDESK_INBOUND_M365_TENANT_ID = TENANT
    settings.HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS = False
    TechnicianFactory(username="casey", first_name="Casey", last_name="Jones")
    ticket = TicketFactory(number=1500, requester_email=PAT, subject="Printer in room 12")
    inbound_email_process(raw=m365_received(gmail_reply("Confirmed by the tenant."), M365_PASS))
    inbound_email_process(raw=m365_received(gmail_reply("Close all my tickets."), M365_DMARC_FAIL))

    page.goto(f"{live_server.url}/queue/1500/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()

    expect(page.locator(".timeline")).to_contain_text("Confirmed by the tenant.")
    expect(page.locator(".timeline")).not_to_contain_text("Close all my tickets.")
    held = page.get_by_role("article")
    expect(held).to_contain_text("Close all my tickets.")
    expect(held).to_contain_text("Microsoft 365 could not confirm the sender")
    expect(held).to_contain_text("dmarc=fail")
    assert violations(page) == []
    assert ticket.events.filter(kind=TicketEvent.Kind.REQUESTER_REPLY).count() == 1
    assert HeldEmail.objects.get().status == HeldEmail.Status.HELD
