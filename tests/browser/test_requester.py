import re

import pytest
from playwright.sync_api import expect

from tests.factories import TicketFactory
from tickets.models import Ticket, TicketEvent
from tickets.services import ticket_close

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults")]
PAT = "pat.lee@northpanolaschools.org"


def link_in(message, pattern):
    return re.search(pattern, message.get_body(("plain",)).get_content()).group(0)


def test_requester_signs_in_by_email_and_adds_information(live_server, page, smtp_server, settings):
    settings.HELPDESK_BASE_URL = live_server.url
    ticket = TicketFactory(number=3100, requester_email=PAT, subject="Printer in room 12")

    page.goto(live_server.url)
    page.get_by_role("link", name="My tickets").first.click()
    page.get_by_label("Your district email address").fill(PAT)
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("status")).to_contain_text("a sign-in link is on its way")

    [message] = smtp_server.wait_for(1)
    page.goto(link_in(message, r"http://\S+/my/sign-in/\S+/"))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="#3100").click()
    page.get_by_label("Add information").fill("It is room 14, not 12. Sorry!")
    page.get_by_role("button", name="Add information").click()

    expect(page.get_by_role("status")).to_contain_text("We added your information to ticket #3100")
    assert ticket.events.get(kind=TicketEvent.Kind.REQUESTER_REPLY).body == "It is room 14, not 12. Sorry!"


def test_requester_reopens_a_closed_ticket_from_the_email_link(live_server, page, smtp_server, settings, technician):
    settings.HELPDESK_BASE_URL = live_server.url
    ticket = TicketFactory(number=3200, requester_email=PAT)
    ticket_close(acting_user=technician, ticket=ticket, resolution="Replaced the toner.")
    [closing] = smtp_server.wait_for(1)

    page.goto(link_in(closing, r"http://\S+/tickets/reopen/\S+/"))
    page.get_by_role("button", name="Reopen this ticket").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ticket #3200 is open again")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
