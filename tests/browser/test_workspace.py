import pytest
from playwright.sync_api import expect

from tests.factories import SchoolFactory, TechnicianFactory, TicketFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults")]


def test_technician_filters_replies_and_closes(live_server, page, smtp_server):
    TechnicianFactory(username="casey", first_name="Casey", last_name="Jones")
    crenshaw = SchoolFactory(name="Crenshaw Elementary School")
    TicketFactory(
        number=1201, school=crenshaw, subject="Board pen missing", requester_email="pat@northpanolaschools.org"
    )
    TicketFactory(number=1202, subject="Printer offline")

    page.goto(f"{live_server.url}/queue/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("complementary").get_by_role("link", name="Crenshaw Elementary School").click()
    expect(page.get_by_role("link", name="#1201")).to_be_visible()
    expect(page.get_by_role("link", name="#1202")).to_have_count(0)
    page.get_by_role("link", name="#1201").click()

    page.get_by_label("Reply or internal note").fill("I will bring a new pen after lunch.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status").first).to_contain_text("Reply sent to pat@northpanolaschools.org")

    page.get_by_label("Resolution").fill("Replaced the board pen.")
    page.get_by_role("button", name="Close ticket").click()
    expect(page.get_by_text("Closed", exact=True).first).to_be_visible()

    reply, closing = smtp_server.wait_for(2)
    assert reply["Subject"].startswith("[Ticket #1201]") and closing["Subject"].startswith("[Ticket #1201] Closed")
    assert "I will bring a new pen after lunch." in reply.get_body(("plain",)).get_content()
    assert "Replaced the board pen." in closing.get_body(("plain",)).get_content()
    assert reply["To"] == closing["To"] == "pat@northpanolaschools.org"


PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_reply_wait_and_take_is_one_press_and_the_composer_is_one_tap_away(live_server, page, smtp_server, viewport):
    from tickets.models import Ticket

    TechnicianFactory(username="casey", first_name="Casey", last_name="Jones")
    ticket = TicketFactory(number=1301, subject="Projector blinks", requester_email="pat@northpanolaschools.org")
    for n in range(8):  # a long history: the composer is far down the page
        ticket.events.create(kind="requester", body=f"More detail, part {n}. " * 20)
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/accounts/login/?next=/queue/1301/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Jump to reply or note").click()
    page.wait_for_function(
        "() => { const r = document.getElementById('composer').getBoundingClientRect();"
        " return r.top > -2 && r.top < window.innerHeight; }"
    )
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.get_by_label("Reply or internal note").fill("Please restart it and tell me what the light does.")
    page.get_by_label("Status").first.select_option(label="Waiting on requester")
    page.get_by_label("Assignee").first.select_option(label="Casey Jones")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply sent to pat@northpanolaschools.org.")).to_be_visible()
    assert posts == [f"{live_server.url}/queue/1301/compose/"]  # one POST for reply, status and assignee
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee.username) == (Ticket.Status.WAITING, "casey")
    [reply] = smtp_server.wait_for(1)
    assert reply["Subject"].startswith("[Ticket #1301]")


@pytest.mark.vnu
def test_merge_by_search_with_a_confirmation_on_a_phone(live_server, page, html_pages):
    from tests.browser.test_accessibility import problems
    from tickets.models import Ticket
    from tickets.services import ticket_search_refresh

    TechnicianFactory(username="casey", first_name="Casey", last_name="Jones")
    TicketFactory(number=1401, subject="Projector in room 12 dead")
    TicketFactory(number=1402, subject="Room 12 projector will not start")
    ticket_search_refresh(ticket_ids=None)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/?next=/queue/1401/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()

    page.get_by_label("Find the ticket to merge into").fill("projector room 12")
    with page.expect_navigation() as found:
        page.get_by_role("button", name="Find", exact=True).click()
    assert problems(page, found.value.text(), html_pages, "ticket page with merge candidates") == []
    with page.expect_navigation() as asked:
        page.get_by_role("button", name="Merge into #1402…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge ticket #1401 into #1402?")
    assert problems(page, asked.value.text(), html_pages, "merge confirmation") == []
    assert Ticket.objects.get(number=1401).merged_into is None
    page.get_by_role("button", name="Merge #1401 into #1402").click()
    expect(page.get_by_text("Merged #1401 into #1402.")).to_be_visible()
    assert Ticket.objects.get(number=1401).merged_into.number == 1402


def test_the_ticket_pages_small_buttons_are_44px_to_tap_on_a_phone(live_server, page):
    from tests.devices.factories import DeviceFactory

    TechnicianFactory(username="casey", first_name="Casey", last_name="Jones")
    TicketFactory(number=1501, subject="Chromebook will not charge", device=DeviceFactory(asset_tag="NP-1501"))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/?next=/queue/1501/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Mark In repair")).to_be_visible()
    heights = page.eval_on_selector_all(
        ".ticket-page .btn-sm, .ticket-page .ticket-jumps a",
        "els => els.filter(e => e.offsetParent).map(e => [e.textContent.trim(), e.getBoundingClientRect().height])",
    )
    names = [name for name, _ in heights]
    assert {"Declare outage", "Mark In repair", "Lend a loaner", "Assign to me", "Jump to reply or note"} <= set(names)
    assert [(name, height) for name, height in heights if height < 43.5] == []
