"""Every page type and interactive feature works under the Content Security Policy (tests/browser/conftest.py fails
a test on any console error, CSP violation or page without the header)."""

from importlib import import_module

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from routing.models import RoutingRule
from tests.conftest import SeedApps
from tests.factories import TechnicianFactory, TicketFactory
from tickets.links import ticket_link_url
from tickets.models import CannedResponse

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults")]


@pytest.fixture
def district_policy(district_defaults):
    import_module("routing.migrations.0002_seed_district_policy").seed(SeedApps(), None)


def test_the_policy_blocks_injected_inline_script_and_the_test_notices(live_server, page, browser_errors):
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => { const script = document.createElement("script");
                   script.textContent = "window.injected = true"; document.body.append(script); }"""
    )
    page.wait_for_timeout(200)  # the violation event is queued as a task
    assert page.evaluate("window.injected") is None
    assert any(error.startswith("CSP violation: script-src") for error in browser_errors), browser_errors
    browser_errors.clear()


def test_public_pages_and_the_live_routing_panel(live_server, page, district_policy):
    for path in ["/", "/policy/", "/my/", "/requests/mass-email/", "/requests/media/", "/accounts/login/"]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(live_server.url + "/tickets/new/")
    page.get_by_label("Subject").fill("SAM password")
    page.get_by_label("Description").fill("Please reset my SAM password, it expired today.")
    expect(page.locator("#routing-panel")).to_contain_text("Towanda Mangrum")  # htmx, live


def test_requester_pages(live_server, page, settings):
    settings.HELPDESK_BASE_URL = live_server.url
    ticket = TicketFactory(number=3400, requester_email="pat.lee@northpanolaschools.org")
    page.goto(ticket_link_url(ticket))
    page.get_by_role("button", name="Open ticket #3400").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("#3400")
    page.goto(live_server.url + "/my/")  # a ticket's link opens that ticket, not the list: it asks for a sign-in link
    expect(page.get_by_role("button", name="Email me a sign-in link")).to_be_visible()


def test_technician_pages_canned_responses_and_charts(live_server, page):
    TechnicianFactory(username="casey")
    TicketFactory(number=1301)
    CannedResponse.objects.create(title="Printer toner", body="New toner is on its way.")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()

    page.goto(live_server.url + "/queue/")
    page.get_by_role("link", name="#1301").click()
    page.wait_for_url("**/queue/1301/")  # and its load: canned.js is deferred, and choosing before it runs does nothing
    page.get_by_label("Reply or internal note").fill("Hello.")
    page.get_by_label("Canned response").select_option(label="Printer toner")
    expect(page.get_by_label("Reply or internal note")).to_have_value("Hello.\n\nNew toner is on its way.")

    page.goto(live_server.url + "/reports/")
    drawn = page.evaluate("() => ['weekly-chart', 'backlog-chart'].map((id) => !!Chart.getChart(id))")
    assert drawn == [True, True]


def test_admin_pages_and_the_rule_tester(live_server, page, district_policy):
    get_user_model().objects.create_superuser("root", "root@northpanolaschools.org", "correct horse battery staple")
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    rule = RoutingRule.objects.get(name="SAM Spectra 7 questions")
    for path in [
        "/admin/",
        "/admin/routing/routingrule/",
        f"/admin/routing/routingrule/{rule.pk}/change/",
        f"/admin/routing/routingrule/{rule.pk}/history/",
        "/admin/routing/closedday/",
        "/admin/tickets/ticket/",
    ]:
        page.goto(live_server.url + path)
        expect(page.locator("#content")).to_be_visible()

    page.goto(live_server.url + "/admin/routing/routingrule/tester/")
    page.get_by_label("Subject").fill("SAM password")
    page.get_by_label("Description").fill("Please reset my SAM password.")
    page.get_by_role("button", name="Test").click()
    expect(page.locator("#tester-panel")).to_contain_text("Towanda Mangrum")


# Stands in for Google's api.js offline: like the real widget, it adds an iframe from www.google.com/recaptcha/
# and a hidden response box with a style attribute, so the test sees what the policy does to each.
FAKE_RECAPTCHA_API = """
for (const box of document.querySelectorAll(".g-recaptcha")) {
  const frame = document.createElement("iframe");
  frame.title = "reCAPTCHA";
  frame.src = "https://www.google.com/recaptcha/api2/anchor?k=" + box.dataset.sitekey;
  box.append(frame);
  box.insertAdjacentHTML("beforeend", '<textarea name="g-recaptcha-response" style="display: none">ok</textarea>');
}
"""


def test_recaptcha_script_and_frame_are_allowed(live_server, page, settings):
    settings.RECAPTCHA_PUBLIC_KEY, settings.RECAPTCHA_PRIVATE_KEY = "public-key", "private-key"
    settings.RECAPTCHA_ENABLED = True
    page.route(
        "https://www.google.com/recaptcha/api.js",
        lambda route: route.fulfill(body=FAKE_RECAPTCHA_API, content_type="text/javascript"),
    )
    page.route(
        "https://www.google.com/recaptcha/api2/**",
        lambda route: route.fulfill(body="<p>captcha</p>", content_type="text/html"),
    )
    page.goto(live_server.url + "/tickets/new/")
    expect(page.frame_locator("iframe[title=reCAPTCHA]").get_by_text("captcha")).to_be_visible()
    expect(page.locator("textarea[name=g-recaptcha-response]")).to_be_hidden()
