"""axe-core (WCAG 2.0/2.1 A and AA rules), a duplicate-id check and the Nu Html Checker on the pages people use."""

import re
from pathlib import Path

import pytest

from tests.factories import TechnicianFactory, TicketFactory
from tickets.services import tickets_merge

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("district_defaults"),
    pytest.mark.vnu,
]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WCAG_AA = "{runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}"


DUPLICATE_IDS = """() => {
    const counts = {};
    for (const element of document.querySelectorAll("[id]")) counts[element.id] = (counts[element.id] || 0) + 1;
    return Object.keys(counts).filter((id) => counts[id] > 1);
}"""


def violations(page) -> list[str]:
    """axe's WCAG 2.1 AA violations on the page now."""
    page.evaluate(AXE)  # through DevTools: the page's Content Security Policy refuses inline script tags
    result = page.evaluate(f"async () => await axe.run(document, {WCAG_AA})")
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


def problems(page, html: str, html_pages, name: str) -> list[str]:
    """axe's violations and the ids used twice on the page now; its HTML as sent goes to the Nu Html Checker."""
    html_pages(name, html)
    duplicates = [f"id “{id_}” is used more than once" for id_ in page.evaluate(DUPLICATE_IDS)]
    return duplicates + violations(page)


def submit(page):
    """Click the form's Submit button and return the HTML the server sent back."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Submit", exact=True).last.click()
    return navigation.value.text()


def test_public_pages(live_server, page, html_pages, district_policy):
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
        response = page.goto(live_server.url + path)
        pages[path] = problems(page, response.text(), html_pages, path)

    page.goto(live_server.url + "/tickets/new/")
    html = submit(page)  # every error shown
    pages["ticket form with errors"] = problems(page, html, html_pages, "ticket form with errors")

    page.get_by_label("Requester").fill("pat@northpanolaschools.org")
    page.get_by_label("Subject").fill("SAM password reset")
    page.get_by_label("School").select_option(label="District Office")
    page.get_by_label("Classroom number").fill("Office")
    page.get_by_label("Description").fill("Please reset my SAM password, I cannot log in.")
    html = submit(page)
    page.get_by_text("Towanda Mangrum").first.wait_for()
    pages["routing panel"] = problems(page, html, html_pages, "routing panel")

    page.get_by_label("Requester").fill("pat@northpanolaschools.com")
    page.get_by_label("Subject").fill("Printer in room 4 jams")
    page.get_by_label("Description").fill("The printer jams on every page since Monday.")
    html = submit(page)
    pages["did you mean"] = problems(page, html, html_pages, "did you mean")
    page.get_by_role("button", name="Use pat@northpanolaschools.org").click()
    html = submit(page)
    pages["ticket submitted"] = problems(page, html, html_pages, "ticket submitted")
    page.goto(live_server.url + "/tickets/new/")
    page.get_by_label("Requester").fill("pat@northpanolaschools.org")
    page.get_by_label("Subject").fill("Printer in room 4 still jams")
    page.get_by_label("School").select_option(label="District Office")
    page.get_by_label("Classroom number").fill("Office")
    page.get_by_label("Description").fill("The printer still jams on every page.")
    html = submit(page)
    page.get_by_text("Printer in room 4 jams").first.wait_for()  # this browser submitted it: its subject shows
    pages["duplicate step with subjects"] = problems(page, html, html_pages, "duplicate step with subjects")

    assert {path: found for path, found in pages.items() if found} == {}


def test_technician_pages(live_server, page, html_pages):
    TechnicianFactory(username="casey")
    TicketFactory(number=1201, priority=4)
    TicketFactory(number=1202)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    pages = {}
    for path in ["/queue/", "/queue/1201/", "/reports/", "/alerts/my/"]:
        response = page.goto(live_server.url + path)
        pages[path] = problems(page, response.text(), html_pages, path)
    assert {path: found for path, found in pages.items() if found} == {}


def test_verified_requester_pages(live_server, page, html_pages, mailoutbox, settings, technician):
    """The duplicate step for a stranger, the confirmation pages, and Send to on a ticket with a merged requester."""
    settings.HELPDESK_BASE_URL = live_server.url
    TicketFactory(number=1301, requester_email="pat@northpanolaschools.org")
    pages = {}
    page.goto(live_server.url + "/tickets/new/")
    page.get_by_label("Requester").fill("pat@northpanolaschools.org")
    page.get_by_label("Subject").fill("Projector still off")
    page.get_by_label("School").select_option(label="District Office")
    page.get_by_label("Classroom number").fill("Office")
    page.get_by_label("Description").fill("The projector still does not turn on after lunch.")
    pages["duplicate step, numbers only"] = problems(page, submit(page), html_pages, "duplicate step numbers only")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Add to ticket #1301").click()
    pages["addition requested"] = problems(page, navigation.value.text(), html_pages, "addition requested")
    confirm = re.search(r"http://\S+/tickets/add/\S+/", mailoutbox[-1].body).group(0)
    pages["addition confirm"] = problems(page, page.goto(confirm).text(), html_pages, "addition confirm")

    source = TicketFactory(number=1302, requester_email="alex@northpanolaschools.org")
    tickets_merge(acting_user=technician, source=source, target=TicketFactory(number=1303))
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    pages["ticket with Send to"] = problems(
        page, page.goto(live_server.url + "/queue/1303/").text(), html_pages, "send to"
    )
    assert {name: found for name, found in pages.items() if found} == {}


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 768}], ids=["phone", "laptop"]
)
def test_help_article_pages(live_server, page, html_pages, viewport):
    """The Help articles list, search, article, solved page, and These might help on the ticket form."""
    from tests.helparticles.factories import HelpArticleFactory

    page.set_viewport_size(viewport)
    body = (
        "Try these steps.\n\n# Check the cable\n\n1. Press **Source**.\n2. Check the [HDMI](https://example.org) cable."
    )
    HelpArticleFactory(title="Projector says no signal", slug="no-signal", body=body, audience="everyone")
    name = viewport["width"]
    pages = {}
    for path in ["/help/", "/help/?q=projector", "/help/?q=smartpen", "/help/no-signal/"]:
        pages[path] = problems(page, page.goto(live_server.url + path).text(), html_pages, f"{path} {name}")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="This solved it").click()
    pages["solved"] = problems(page, navigation.value.text(), html_pages, f"solved {name}")
    page.goto(live_server.url + "/tickets/new/")
    page.get_by_label("Subject").fill("Projector says no signal")
    page.get_by_label("Description").fill("The projector in room 14 shows No signal.")
    page.get_by_role("region", name="These might help").wait_for()
    pages["these might help"] = problems(page, page.content(), html_pages, f"these might help {name}")
    assert {path: found for path, found in pages.items() if found} == {}


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 768}], ids=["phone", "laptop"]
)
def test_help_article_technician_pages(live_server, page, html_pages, viewport):
    """Insert article link and Create article from this ticket on the ticket page, and the Help articles report."""
    from helparticles.models import ArticleFeedback, ArticleSearchMiss
    from tests.helparticles.factories import HelpArticleFactory

    page.set_viewport_size(viewport)
    TechnicianFactory(username="casey")
    article = HelpArticleFactory(title="Projector says no signal", slug="no-signal")
    ArticleFeedback.objects.create(article=article, outcome="solved")
    ArticleSearchMiss.objects.create(query="smart board pen")
    TicketFactory(number=1501, subject="Projector says no signal")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    name = viewport["width"]
    pages = {}
    for path in ["/queue/1501/", "/reports/help-articles/"]:
        pages[path] = problems(page, page.goto(live_server.url + path).text(), html_pages, f"{path} {name}")
    assert {path: found for path, found in pages.items() if found} == {}
