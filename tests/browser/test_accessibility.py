"""axe-core (WCAG 2.0/2.1 A and AA rules) finds no violations on the pages people use."""

from pathlib import Path

import pytest

from tests.factories import TechnicianFactory, TicketFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults")]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WCAG_AA = "{runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}"


def violations(page) -> list[str]:
    page.evaluate(AXE)  # through DevTools: the page's Content Security Policy refuses inline script tags
    result = page.evaluate(f"async () => await axe.run(document, {WCAG_AA})")
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


def test_public_pages(live_server, page):
    pages = {}
    for path in [
        "/",
        "/tickets/new/",
        "/my/",
        "/policy/",
        "/requests/mass-email/",
        "/requests/media/",
        "/accounts/login/",
    ]:
        page.goto(live_server.url + path)
        pages[path] = violations(page)

    page.goto(live_server.url + "/tickets/new/")
    page.get_by_role("button", name="Submit", exact=True).last.click()  # every error shown
    pages["ticket form with errors"] = violations(page)

    page.get_by_label("Requester").fill("pat@northpanolaschools.org")
    page.get_by_label("Subject").fill("SAM password reset")
    page.get_by_label("School").select_option(label="District Office")
    page.get_by_label("Classroom number").fill("Office")
    page.get_by_label("Description").fill("Please reset my SAM password, I cannot log in.")
    page.get_by_role("button", name="Submit", exact=True).last.click()
    page.get_by_text("Towanda Mangrum").first.wait_for()
    pages["routing panel"] = violations(page)

    assert {path: found for path, found in pages.items() if found} == {}


def test_technician_pages(live_server, page):
    TechnicianFactory(username="casey")
    TicketFactory(number=1201, priority=4)
    TicketFactory(number=1202)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    pages = {}
    for path in ["/queue/", "/queue/1201/", "/reports/"]:
        page.goto(live_server.url + path)
        pages[path] = violations(page)
    assert {path: found for path, found in pages.items() if found} == {}
