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
