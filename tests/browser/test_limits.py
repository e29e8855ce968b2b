"""In the browser: the rate-limited form keeps what was typed, and the lockout page; both pass axe and the HTML check."""

import pytest
from playwright.sync_api import expect

from helpdesk import ratelimits
from tests.browser.test_accessibility import problems
from tests.browser.test_submit_ticket import fill_ticket_form
from tests.factories import TechnicianFactory
from tickets.models import Ticket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("district_defaults"),
    pytest.mark.redis,
    pytest.mark.vnu,
]


def test_a_limited_person_keeps_what_they_typed(live_server, page, html_pages, monkeypatch, browser_errors):
    monkeypatch.setitem(ratelimits.LIMITS, "ticket_submit", (ratelimits.Limit("1/h", "ip"),))
    page.goto(live_server.url + "/tickets/new/")
    fill_ticket_form(page, "pat.lee@northpanolaschools.org")
    page.get_by_role("button", name="Submit", exact=True).click()
    page.get_by_text("Ticket #").first.wait_for()

    page.goto(live_server.url + "/tickets/new/")
    fill_ticket_form(page, "sam.ray@northpanolaschools.org")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Submit", exact=True).click()
    response = navigation.value
    assert response.status == 429
    expect(page.get_by_role("alert")).to_contain_text("Please try again in about")
    expect(page.get_by_label("Requester")).to_have_value("sam.ray@northpanolaschools.org")
    expect(page.get_by_label("Description")).to_have_value(
        "The board shows the picture but touching it does nothing since Monday."
    )
    expect(page.get_by_label("School")).to_have_value(str(Ticket.objects.get().school_id))
    assert Ticket.objects.count() == 1
    assert problems(page, response.text(), html_pages, "rate-limited ticket form") == []
    browser_errors[:] = [error for error in browser_errors if "status of 429 (Too Many Requests) at" not in error]


def test_lockout_page(live_server, page, html_pages, browser_errors):
    TechnicianFactory(username="casey")
    for _ in range(6):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill("casey")
        page.get_by_label("Password").fill("not the password")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Log in").click()
    response = navigation.value
    assert response.status == 429
    expect(page.get_by_role("alert")).to_contain_text("Too many failed attempts; try again in 15 minutes")
    assert problems(page, response.text(), html_pages, "lockout page") == []
    browser_errors[:] = [error for error in browser_errors if "status of 429 (Too Many Requests) at" not in error]
