"""Technicians hand articles on: Insert article link puts a public link in the reply, and the emailed link opens."""

import re

import pytest
from playwright.sync_api import expect

from helparticles.models import HelpArticle
from tests.factories import TechnicianFactory, TicketFactory
from tests.helparticles.factories import HelpArticleFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults")]


def sign_in(page, live_server, next_path: str):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()


def test_the_inserted_article_link_in_the_emailed_reply_opens_the_article(live_server, page, smtp_server, settings):
    settings.HELPDESK_BASE_URL = live_server.url
    TechnicianFactory(username="casey", first_name="Casey", last_name="Jones")
    HelpArticleFactory(title="Printer is offline", slug="printer-stuck", body="Turn the printer off and on again.")
    HelpArticleFactory(title="Reimage a laptop", slug="reimage", audience="technicians")  # never offered
    TicketFactory(number=1401, subject="Printer offline", requester_email="pat@northpanolaschools.org")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "/queue/1401/")
    reply = page.get_by_label("Reply or internal note")
    reply.fill("Please try these steps first.")
    expect(page.get_by_label("Help article to link").locator("option")).to_have_text(
        ["Choose a help article", "Printer is offline"]
    )
    page.get_by_label("Help article to link").select_option(label="Printer is offline")
    expect(reply).to_have_value(
        f"Please try these steps first.\n\nPrinter is offline: {live_server.url}/help/printer-stuck/"
    )
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status").first).to_contain_text("Reply sent to pat@northpanolaschools.org")

    [message] = smtp_server.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"http://\S+/help/printer-stuck/", text).group(0)
    assert f'href="{link}"' in message.get_body(("html",)).get_content()
    requester = page.context.browser.new_page()  # the requester: not signed in anywhere
    requester.goto(link)
    expect(requester.get_by_role("heading", name="Printer is offline")).to_be_visible()
    expect(requester.get_by_text("Turn the printer off and on again.")).to_be_visible()
    requester.close()


def test_create_article_from_this_ticket_drafts_from_the_subject_and_resolution(live_server, page):
    from tickets.models import TicketEvent

    TechnicianFactory(username="casey", first_name="Casey", last_name="Jones")
    ticket = TicketFactory(number=1402, subject="Document camera shows a black picture", status="closed")
    ticket.events.create(kind=TicketEvent.Kind.CLOSED, body="Pressed the lens cap release and reseated the USB cable.")
    sign_in(page, live_server, "/queue/1402/")
    page.get_by_role("button", name="Create article from this ticket").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Draft help article “Document camera shows a black picture”"
    )
    draft = HelpArticle.objects.get(title="Document camera shows a black picture")
    assert not draft.is_published and "reseated the USB cable" in draft.body
