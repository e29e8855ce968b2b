"""These might help while typing a ticket, on a phone and a laptop: found, reachable by keyboard, and answered."""

import pytest
from playwright.sync_api import expect

from helparticles.models import ArticleFeedback
from tests.helparticles.factories import HelpArticleFactory
from tickets.models import Ticket, TicketSeenArticle

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults")]
PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}


def fill_ticket_form(page):
    page.get_by_label("Requester").fill("pat.lee@northpanolaschools.org")
    page.get_by_label("School").select_option(label="Crenshaw Elementary School")
    page.get_by_label("Classroom number").fill("14")
    page.get_by_label("Subject").fill("Projector says no signal")
    page.get_by_label("Description").fill("The projector in room 14 shows No signal since this morning.")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_matching_subject_suggests_the_article_and_this_solved_it_makes_no_ticket(live_server, page, viewport):
    page.set_viewport_size(viewport)
    HelpArticleFactory(title="Projector or board says No signal", slug="no-signal", keywords="hdmi")
    HelpArticleFactory(title="Printer is offline", slug="printer-stuck", body="Turn the printer off.")
    page.goto(f"{live_server.url}/tickets/new/")
    fill_ticket_form(page)
    suggestions = page.get_by_role("region", name="These might help")
    expect(suggestions).to_be_visible()
    link = suggestions.get_by_role("link", name="Projector or board says No signal")
    expect(link).to_be_visible()
    expect(suggestions.get_by_role("link", name="Printer is offline")).to_have_count(0)
    assert page.locator("#article-suggestions").get_attribute("aria-live") == "polite"
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]  # no sideways scrolling on a phone

    page.get_by_label("Description").focus()
    for _ in range(6):  # keyboard reachable: a few Tabs from the description
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").startswith("Projector or board"):
            break
    assert page.evaluate("document.activeElement.textContent").startswith("Projector or board")

    with page.expect_popup() as popup:  # a new tab: the form keeps everything typed
        page.keyboard.press("Enter")
    expect(popup.value.get_by_role("heading", name="Projector or board says No signal")).to_be_visible()
    popup.value.close()
    expect(page.get_by_label("Subject")).to_have_value("Projector says no signal")

    with page.expect_navigation():
        suggestions.get_by_role("button", name="This solved it").click()
    expect(page.get_by_role("heading", name="Good: no ticket was needed")).to_be_visible()
    assert ArticleFeedback.objects.get().place == "ticket_form"
    assert not Ticket.objects.exists()


def test_a_ticket_submitted_after_suggestions_records_them(live_server, page):
    page.set_viewport_size(PHONE)
    article = HelpArticleFactory(title="Projector or board says No signal", slug="no-signal")
    page.goto(f"{live_server.url}/tickets/new/")
    fill_ticket_form(page)
    expect(page.get_by_role("region", name="These might help")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator("#ticket-number")).to_be_visible()
    assert list(TicketSeenArticle.objects.values_list("article_id", flat=True)) == [article.pk]
