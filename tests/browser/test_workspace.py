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

    page.get_by_label("Reply to requester").fill("I will bring a new pen after lunch.")
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
