"""A double click on Submit gives one ticket: the page sends the form once, and the server's one-time key makes a
second POST (no JavaScript, a resubmit) land on the first ticket's confirmation."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.test_submit_ticket import fill_ticket_form
from tickets.models import Ticket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults")]
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def slow_ticket_create(monkeypatch):
    """The first POST is still working when the second click arrives (live_server runs in this process)."""
    from tickets.views import submit

    ticket_create = submit.ticket_create

    def slow(**fields):
        time.sleep(0.4)
        return ticket_create(**fields)

    monkeypatch.setattr(submit, "ticket_create", slow)


def posts_of_the_form(page) -> list:
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    return posts


def double_click_submit(page, live_server):
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/tickets/new/")
    fill_ticket_form(page, "pat.lee@northpanolaschools.org")
    submit = page.get_by_role("button", name="Submit", exact=True).last
    submit.scroll_into_view_if_needed()
    box = submit.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    with page.expect_request(lambda request: request.method == "POST"):
        page.mouse.click(x, y)
    page.mouse.click(x, y)  # the second click of a double click, while the first POST is on its way
    expect(page.locator("#ticket-number")).to_have_text(re.compile(r"Ticket #\d+"))


@pytest.mark.usefixtures("slow_ticket_create")
def test_a_double_click_on_submit_sends_the_form_once(live_server, page):
    posts = posts_of_the_form(page)
    double_click_submit(page, live_server)
    ticket = Ticket.objects.get()
    expect(page.locator("#ticket-number")).to_have_text(f"Ticket #{ticket.number}")
    assert len([post for post in posts if post.url.endswith("/tickets/new/")]) == 1


@pytest.mark.usefixtures("slow_ticket_create")
def test_without_the_script_two_posts_still_give_one_ticket(live_server, page):
    """The key is the guarantee: with the page's script missing, both POSTs reach the server and one ticket is made."""
    page.route("**/js/submit_once*.js", lambda route: route.fulfill(content_type="text/javascript", body=""))
    posts = posts_of_the_form(page)
    double_click_submit(page, live_server)
    ticket = Ticket.objects.get()
    expect(page.locator("#ticket-number")).to_have_text(f"Ticket #{ticket.number}")
    assert len([post for post in posts if post.url.endswith("/tickets/new/")]) == 2
