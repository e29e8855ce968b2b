"""Who may add to or open a ticket, through the browser and real email (aiosmtpd)."""

import re

import pytest
from playwright.sync_api import expect

from notifications.models import OutboundEmail
from tests.factories import TicketFactory
from tickets.links import ticket_link_url
from tickets.models import Ticket, TicketEvent
from tickets.services import tickets_merge

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults")]
PAT = "pat.lee@northpanolaschools.org"


def link_in(message, pattern):
    return re.search(pattern, message.get_body(("plain",)).get_content()).group(0)


def fill_form_and_submit(page, live_server, *, description: str) -> None:
    page.goto(f"{live_server.url}/tickets/new/")
    page.get_by_label("Requester").fill(PAT)
    page.get_by_label("Subject").fill("Projector still off")
    page.get_by_label("School").select_option(label="Green Hill Elementary School")
    page.get_by_label("Classroom number").fill("12")
    page.get_by_label("Description").fill(description)
    page.get_by_role("button", name="Submit", exact=True).last.click()
    expect(page.get_by_role("alert")).to_contain_text("You already have 1 open ticket")


def test_a_strangers_add_changes_nothing_until_the_owner_confirms(live_server, page, browser, smtp_server, settings):
    settings.HELPDESK_BASE_URL = live_server.url
    existing = TicketFactory(number=3300, requester_email=PAT, subject="Projector will not turn on")

    fill_form_and_submit(page, live_server, description="Someone else typed this: the projector is fine, close it.")
    expect(page.get_by_text("Projector will not turn on")).to_have_count(0)  # numbers only, no subjects
    page.get_by_role("button", name="Add to ticket #3300").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("We emailed you a link to confirm")
    assert not existing.events.exists()

    [message] = smtp_server.wait_for(1)
    assert message["To"] == PAT
    assert "Someone asked to add this to your ticket #3300" in message.get_body(("plain",)).get_content()
    owner = browser.new_context().new_page()
    owner.goto(link_in(message, r"http://\S+/tickets/add/\S+/"))
    expect(owner.get_by_text("Someone else typed this")).to_be_visible()
    assert not existing.events.exists()  # opening the link (as a mail scanner does) adds nothing
    owner.get_by_role("button", name="Ignore it: I did not send this").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Nothing was added")
    assert not existing.events.exists()


def test_the_owners_confirmation_adds_it(live_server, page, smtp_server, settings):
    settings.HELPDESK_BASE_URL = live_server.url
    existing = TicketFactory(number=3301, requester_email=PAT, subject="Projector will not turn on")
    fill_form_and_submit(page, live_server, description="The projector still does not turn on after lunch.")
    page.get_by_role("button", name="Add to ticket #3301").click()
    [message] = smtp_server.wait_for(1)

    page.goto(link_in(message, r"http://\S+/tickets/add/\S+/"))
    page.get_by_role("button", name="Add it to ticket #3301").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you. We added this to ticket #3301.")
    assert "after lunch" in existing.events.get(kind=TicketEvent.Kind.REQUESTER_REPLY).body
    assert Ticket.objects.count() == 1


def test_a_signed_in_requester_adds_at_once(live_server, page, smtp_server, settings):
    settings.HELPDESK_BASE_URL = live_server.url
    existing = TicketFactory(number=3302, requester_email=PAT, subject="Projector will not turn on")
    page.goto(f"{live_server.url}/my/")
    page.get_by_label("Your district email address").fill(PAT)
    page.get_by_role("button", name="Email me a sign-in link").click()
    [message] = smtp_server.wait_for(1)
    page.goto(link_in(message, r"http://\S+/my/sign-in/\S+/"))
    page.get_by_role("button", name="Sign in").click()

    fill_form_and_submit(page, live_server, description="The projector still does not turn on after lunch.")
    expect(page.get_by_text("Projector will not turn on")).to_be_visible()  # signed in: subjects shown
    page.get_by_role("button", name="Add to ticket #3302").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you. We added this to ticket #3302.")
    assert "after lunch" in existing.events.get(kind=TicketEvent.Kind.REQUESTER_REPLY).body


def test_a_forwarded_receipt_link_opens_one_ticket_and_not_the_others(
    live_server, page, browser, smtp_server, settings
):
    settings.HELPDESK_BASE_URL = live_server.url
    other = TicketFactory(number=3400, requester_email=PAT, subject="Laptop battery swells")
    fill_form_and_submit(page, live_server, description="A new problem: the document camera shows no picture.")
    page.get_by_role("button", name="Submit a new ticket anyway").click()
    [receipt] = smtp_server.wait_for(1)
    ticket = Ticket.objects.exclude(pk=other.pk).get()

    colleague = browser.new_context().new_page()  # the receipt was forwarded
    colleague.goto(link_in(receipt, r"http://\S+/my/link/\S+/"))
    colleague.get_by_role("button", name=f"Open ticket #{ticket.number}").click()
    expect(colleague.get_by_role("heading", level=1)).to_contain_text(f"Ticket #{ticket.number}")
    expect(colleague.get_by_role("button", name="Add information")).to_be_visible()
    response = colleague.goto(f"{live_server.url}/my/tickets/{other.public_id}/")
    assert response.status == 404
    colleague.goto(f"{live_server.url}/my/")
    expect(colleague.get_by_role("button", name="Email me a sign-in link")).to_be_visible()
    expect(colleague.get_by_text("Laptop battery swells")).to_have_count(0)

    # And the link cannot be read back from the outbox after sending, in the table or in admin.
    assert not OutboundEmail.objects.filter(body_text__contains="/my/link/").exists()
    assert OutboundEmail.objects.get().secret_values == {}


def test_no_token_is_readable_in_admin(live_server, page, smtp_server, settings, admin_user):
    settings.HELPDESK_BASE_URL = live_server.url
    page.goto(f"{live_server.url}/my/")
    page.get_by_label("Your district email address").fill(PAT)
    page.get_by_role("button", name="Email me a sign-in link").click()
    [message] = smtp_server.wait_for(1)
    token_path = link_in(message, r"/my/sign-in/\S+/")

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    email = OutboundEmail.objects.get()
    page.goto(f"{live_server.url}/admin/notifications/outboundemail/{email.pk}/change/")
    expect(page.get_by_text("[[secret:sign_in_url]]").first).to_be_visible()
    assert token_path not in page.content()


def test_a_merged_requesters_reply_is_invisible_to_the_other_requester(
    live_server, page, browser, smtp_server, settings, technician
):
    settings.HELPDESK_BASE_URL = live_server.url
    alex, bridget = "alex.reed@northpanolaschools.org", "bridget.cole@northpanolaschools.org"
    source = TicketFactory(number=3500, requester_email=alex, subject="Projector dead in 12")
    target = TicketFactory(number=3501, requester_email=bridget, subject="Room 12 projector")
    tickets_merge(acting_user=technician, source=source, target=target)
    smtp_server.wait_for(1)  # alex is told which ticket to follow

    page.goto(ticket_link_url(source))  # alex adds on their merged ticket, from their receipt's link
    page.get_by_role("button", name="Open ticket #3500").click()
    page.get_by_label("Add information").fill("PRIVATE: my classroom door code is 4471.")
    page.get_by_role("button", name="Add information").click()
    expect(page.get_by_role("status")).to_contain_text("We added your information")
    assert target.events.get(correspondent=alex).kind == TicketEvent.Kind.NOTE

    bridget_page = browser.new_context().new_page()
    bridget_page.goto(ticket_link_url(target))
    bridget_page.get_by_role("button", name="Open ticket #3501").click()
    expect(bridget_page.get_by_role("heading", level=1)).to_contain_text("Ticket #3501")
    expect(bridget_page.get_by_text("PRIVATE")).to_have_count(0)


def test_a_technician_replies_to_the_merged_requester_from_the_ticket_page(
    live_server, page, browser, smtp_server, settings, technician
):
    settings.HELPDESK_BASE_URL = live_server.url
    alex, bridget = "alex.reed@northpanolaschools.org", "bridget.cole@northpanolaschools.org"
    source = TicketFactory(number=3600, requester_email=alex, subject="Projector dead in 12")
    target = TicketFactory(number=3601, requester_email=bridget, subject="Room 12 projector")
    tickets_merge(acting_user=technician, source=source, target=target)
    smtp_server.wait_for(1)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/queue/3601/")
    page.get_by_label("Reply or internal note").fill("PRIVATE: your lamp is ordered, Alex.")
    page.get_by_label("Send the reply to").select_option(alex)
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text(f"Reply sent to {alex}.")).to_be_visible()
    expect(page.get_by_text(f"Reply to {alex}")).to_be_visible()

    [_, reply] = smtp_server.wait_for(2)
    assert reply["To"] == alex and "[Ticket #3600]" in reply["Subject"]
    assert "Room 12 projector" not in reply.get_body(("plain",)).get_content()
    bridget_page = browser.new_context().new_page()
    bridget_page.goto(ticket_link_url(target))
    bridget_page.get_by_role("button", name="Open ticket #3601").click()
    expect(bridget_page.get_by_role("heading", level=1)).to_contain_text("Ticket #3601")
    expect(bridget_page.get_by_text("PRIVATE")).to_have_count(0)
