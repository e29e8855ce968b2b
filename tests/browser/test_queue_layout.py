"""The queue as technicians use it: one line per ticket on a laptop, cards by school on a phone, a bulk bar on demand."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from district.models import School, TicketType
from tests.browser.test_accessibility import problems
from tests.factories import TechnicianFactory, TicketFactory
from tickets.models import Ticket
from tickets.services import ticket_requester_reply_add

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("district_defaults"),
    pytest.mark.vnu,
]
PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}
LONG_SUBJECTS = [
    "Smartboard in the library will not calibrate after the weekend update and the pen is off by an inch",
    "Printer in room 12 prints blank pages since Monday",
    "Chromebook cart 3 has six devices that will not charge",
    "Projector bulb flickers during first period",
]

# Every visible control in the page's main area that is smaller than 44 × 44 px.
SMALL_TAP_TARGETS = """() => [...document.querySelectorAll(
    "main a, main button, main input:not([type=hidden]), main select, main textarea, main summary")]
  .filter((el) => el.getClientRects().length && !el.classList.contains("visually-hidden-focusable"))
  .map((el) => [el.textContent.trim().slice(0, 30) || el.name || el.tagName, el.getBoundingClientRect()])
  .filter(([, box]) => box.height < 44 || box.width < 44)
  .map(([name, box]) => `${name}: ${Math.round(box.width)}×${Math.round(box.height)}`)"""
# Filter drop-downs whose chosen option is wider than the box shows (less its arrow).
CUT_SELECTS = """() => {
  const context = document.createElement("canvas").getContext("2d");
  return [...document.querySelectorAll("#queue-filters select")].filter((select) => {
    const style = getComputedStyle(select);
    context.font = `${style.fontSize} ${style.fontFamily}`;
    const text = context.measureText(select.selectedOptions[0].text).width;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return text > room;
  }).map((select) => `${select.name}: ${select.selectedOptions[0].text}`);
}"""

# Cells that must read whole (number, priority, status, age, last update): only subject, school and type may be cut.
CUT_CELLS = """() => [...document.querySelectorAll(
    ".queue-table tbody td:is(:nth-child(2), :nth-child(6), :nth-child(7), :nth-child(9), :nth-child(10))")]
  .filter((cell) => cell.scrollWidth > cell.clientWidth).map((cell) => cell.textContent.trim())"""


def seeded_week() -> dict:
    """Fourteen open tickets at three schools with long names and subjects, and one of each signal."""
    schools = list(School.objects.order_by("-name")[:3])
    types = list(TicketType.objects.all()[:3])
    now = timezone.now()
    for n in range(14):
        TicketFactory(
            number=1201 + n,
            school=schools[n % 3],
            ticket_type=types[n % len(types)],
            subject=LONG_SUBJECTS[n % len(LONG_SUBJECTS)],
            classroom=f"Room {100 + n}",
            priority=Ticket.Priority.URGENT if n == 4 else Ticket.Priority.MEDIUM,
            created_at=now - timedelta(hours=n * 7),
        )
    ticket_requester_reply_add(ticket=Ticket.objects.get(number=1202), body="It happens again today.")
    Ticket.objects.filter(number=1203).update(status=Ticket.Status.WAITING, first_response_at=now)
    return {"urgent_school": schools[4 % 3]}


def log_in(page, live_server, viewport):
    TechnicianFactory(username="casey", first_name="Casey", last_name="Jones")
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/accounts/login/?next=/queue/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def no_sideways_scroll(page, viewport) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_laptop_shows_a_line_per_ticket_and_the_bulk_bar_on_demand(live_server, page, html_pages):
    seeded_week()
    log_in(page, live_server, LAPTOP)
    html = page.content()
    found = {"queue": problems(page, html, html_pages, "queue laptop")}

    rows = page.locator(".queue-table tbody tr")
    expect(rows).to_have_count(14)
    bottoms = rows.evaluate_all("(rows) => rows.map((row) => row.getBoundingClientRect().bottom)")
    assert sum(bottom <= LAPTOP["height"] for bottom in bottoms) >= 10
    heights = rows.evaluate_all("(rows) => rows.map((row) => row.getBoundingClientRect().height)")
    assert max(heights) < 40  # one line each: long subjects end in an ellipsis
    assert page.get_by_role("cell", name=LONG_SUBJECTS[0]).first.get_attribute("title") == LONG_SUBJECTS[0]
    assert page.evaluate(CUT_SELECTS) == []
    assert page.evaluate(CUT_CELLS) == []
    assert no_sideways_scroll(page, LAPTOP)

    expect(page.locator(".queue-table").get_by_text("Requester replied")).to_have_count(1)
    expect(page.locator(".queue-table").get_by_text("Waiting on requester")).to_have_count(1)
    expect(page.locator(".queue-table").get_by_text("New", exact=True)).to_have_count(13)

    bar = page.locator("#bulk-bar")
    expect(bar).to_be_hidden()
    page.get_by_label("Select ticket #1201").check()
    expect(bar).to_be_visible()
    expect(bar.get_by_label("Closing message")).to_be_hidden()
    expect(bar.get_by_label("Technician")).to_be_hidden()
    bar.get_by_label("Action").select_option("close")
    expect(bar.get_by_label("Closing message")).to_be_visible()
    expect(bar.get_by_label("Technician")).to_be_hidden()
    found["bulk bar open"] = problems(page, html, html_pages, "queue bulk bar")
    page.get_by_label("Select ticket #1202").check()
    bar.get_by_label("Closing message").fill("Fixed the network switch in the office.")
    with page.expect_navigation() as navigation:
        bar.get_by_role("button", name="Apply to ticked").click()
    expect(page.get_by_role("status")).to_contain_text("Closed #1201 and #1202.")
    found["bulk result"] = problems(page, navigation.value.text(), html_pages, "queue bulk result")
    assert {state: errors for state, errors in found.items() if errors} == {}


def test_laptop_filters_show_as_chips_and_a_skip_link_reaches_the_tickets(live_server, page, html_pages):
    seeded_week()
    log_in(page, live_server, LAPTOP)
    presses = 0
    while page.evaluate("document.activeElement.textContent.trim()") != "Skip to tickets" and presses < 15:
        page.keyboard.press("Tab")
        presses += 1
    assert presses <= 12  # the site's skip link, its header, then this one
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Select ticket #1205"

    filters = page.get_by_role("form", name="Filter the queue")
    filters.get_by_label("Priority").select_option(label="Medium")
    filters.get_by_label("Sort by").select_option(label="Oldest first")
    with page.expect_navigation() as navigation:
        filters.get_by_role("button", name="Apply").click()
    chips = page.get_by_role("list", name="Active filters")
    expect(chips.get_by_role("link")).to_have_text(
        ["Priority: Medium × (remove this filter)", "Sort by: Oldest first × (remove this filter)", "Clear all filters"]
    )
    found = {"chips": problems(page, navigation.value.text(), html_pages, "queue with filter chips")}
    assert page.evaluate(CUT_SELECTS) == []
    chips.get_by_role("link", name="Priority: Medium").click()
    expect(chips.get_by_role("link")).to_have_count(1)
    assert "priority" not in page.url and "sort=age" in page.url
    expect(page.get_by_label("Select ticket #1205")).to_be_visible()  # the urgent one is back
    assert {state: errors for state, errors in found.items() if errors} == {}


def test_phone_shows_cards_by_school_most_urgent_first(live_server, page, html_pages):
    seeded = seeded_week()
    log_in(page, live_server, PHONE)
    found = {"queue": problems(page, page.content(), html_pages, "queue phone")}

    first_school = page.locator(".queue-school").first
    expect(first_school).to_contain_text(seeded["urgent_school"].name)
    first_card = page.locator(".queue-card").first
    expect(first_card).to_contain_text("#1205")
    assert first_card.bounding_box()["y"] < 600
    assert no_sideways_scroll(page, PHONE)
    assert page.evaluate(SMALL_TAP_TARGETS) == []
    expect(page.locator(".queue-card").get_by_text("Requester replied")).to_have_count(1)
    expect(page.locator(".queue-card").get_by_text("Waiting on requester")).to_have_count(1)

    with page.expect_navigation() as navigation:
        first_school.get_by_role("link", name="I’m at this school").click()
    assert f"school={seeded['urgent_school'].pk}" in page.url
    expect(page.locator(".queue-school")).to_have_count(1)
    expect(page.get_by_role("list", name="Active filters")).to_contain_text(seeded["urgent_school"].name)
    found["at this school"] = problems(page, navigation.value.text(), html_pages, "queue phone at school")
    assert no_sideways_scroll(page, PHONE)
    assert page.evaluate(SMALL_TAP_TARGETS) == []
    assert {state: errors for state, errors in found.items() if errors} == {}
