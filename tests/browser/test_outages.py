"""Outages in a real browser: a teacher on a phone goes from Known issues to "I'm affected too"; every outage page
and email passes the same accessibility and HTML checks as the rest (axe, duplicate ids, the Nu Html Checker)."""

import pytest
from playwright.sync_api import expect

from notifications.models import OutboundEmail
from outages.email_step import affected_url
from outages.models import OutagePerson, PossibleOutage
from outages.services import outage_declare
from tests.browser.test_accessibility import problems
from tests.factories import SchoolFactory, TechnicianFactory, TicketFactory, TicketTypeFactory
from tickets.models import Ticket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("district_defaults", "outage_wording"),
    pytest.mark.vnu,
]
PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}
PAT = "pat.lee@northpanolaschools.org"


@pytest.fixture
def outage_wording(db):
    from importlib import import_module

    from django.apps import apps

    import_module("outages.migrations.0002_seed_email_wording").seed(apps, None)


def outage_at_green_hill(technician, *, tickets: int = 3):
    school = SchoolFactory(name="Green Hill Elementary School")
    internet = TicketTypeFactory(name="Internet / Wireless")
    linked = [
        TicketFactory(number=8001 + n, school=school, ticket_type=internet, subject=f"No internet in room {n + 1}")
        for n in range(tickets)
    ]
    return outage_declare(
        acting_user=technician,
        title="Internet down at Green Hill",
        message="The fiber line is cut. Use the hotspot in the library meanwhile.",
        schools=[school],
        is_district_wide=False,
        ticket_type=internet,
        ticket_ids=[ticket.pk for ticket in linked],
    )


def assert_no_sideways_scroll(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_a_teacher_on_a_phone_says_im_affected_too(live_server, page, html_pages, technician, settings, browser_errors):
    outage = outage_at_green_hill(technician)
    page.set_viewport_size(PHONE)
    found = {}
    response = page.goto(live_server.url + "/")
    known = page.get_by_role("region", name="Known issues")
    expect(known).to_contain_text("Internet down at Green Hill")
    expect(known).to_contain_text("Use the hotspot in the library")
    assert_no_sideways_scroll(page, PHONE)
    found["home with known issues"] = problems(page, response.text(), html_pages, "outage home known issues")

    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="Submit a ticket").first.click()
    expect(page.get_by_role("region", name="Known issues")).to_contain_text("Internet down at Green Hill")
    found["form with known issues"] = problems(page, navigation.value.text(), html_pages, "outage form known issues")
    page.get_by_label("Requester").fill(PAT)
    page.get_by_label("Subject").fill("No internet in room 4")
    page.get_by_label("Type").select_option(label="Internet / Wireless")
    page.get_by_label("School").select_option(label="Green Hill Elementary School")
    page.get_by_label("Classroom number").fill("4")
    page.get_by_label("Description").fill("No website loads on any laptop in my classroom.")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Submit", exact=True).last.click()
    step = page.get_by_role("region", name="Is this the problem we already know about?")
    expect(step).to_contain_text("Internet down at Green Hill")
    expect(step.get_by_role("button", name="My problem is different")).to_be_visible()
    assert_no_sideways_scroll(page, PHONE)
    found["outage step"] = problems(page, navigation.value.text(), html_pages, "outage step")

    with page.expect_navigation() as navigation:
        step.get_by_role("button", name="I’m affected too").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: you are on the list for this problem")
    expect(page.get_by_text("No ticket was created.")).to_be_visible()
    assert_no_sideways_scroll(page, PHONE)
    found["affected"] = problems(page, navigation.value.text(), html_pages, "outage affected")
    assert OutagePerson.objects.get(outage=outage).email == PAT
    assert not Ticket.objects.filter(requester_email=PAT).exists()

    settings.HELPDESK_BASE_URL = live_server.url
    response = page.goto(affected_url(outage=outage, email="sam.ford@northpanolaschools.org"))
    found["affected by email"] = problems(page, response.text(), html_pages, "outage affected by email")
    response = page.goto(live_server.url + "/outages/affected/not-a-token/")
    found["link expired"] = problems(page, response.text(), html_pages, "outage link expired")
    assert response.status == 404
    browser_errors[:] = [error for error in browser_errors if "/outages/affected/not-a-token/" not in error]
    assert {name: problem for name, problem in found.items() if problem} == {}


def log_in(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_technician_outage_pages_and_emails(live_server, page, html_pages, viewport):
    TechnicianFactory(username="casey")
    page.set_viewport_size(viewport)
    school = SchoolFactory(name="Pope Elementary School")
    printers = TicketTypeFactory(name="Printer")
    for n in range(3):
        TicketFactory(number=8101 + n, school=school, ticket_type=printers)
    detection = PossibleOutage.objects.get()
    log_in(page, live_server)
    found = {}
    name = f"{viewport['width']}px"
    response = page.goto(live_server.url + "/queue/")
    expect(page.get_by_role("region", name="Possible outage")).to_contain_text("3 Printer tickets at Pope")
    found["queue with notice"] = problems(page, response.text(), html_pages, f"queue possible outage {name}")
    response = page.goto(f"{live_server.url}/outages/declare/?detection={detection.pk}")
    found["declare"] = problems(page, response.text(), html_pages, f"declare outage {name}")
    page.get_by_label("Message to staff").fill("The print server is down. Please wait before printing again.")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Declare outage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Printer problem at Pope Elementary School")
    assert_no_sideways_scroll(page, viewport)
    found["outage page"] = problems(page, navigation.value.text(), html_pages, f"outage page {name}")
    TicketFactory(number=8104, school=school, ticket_type=printers)  # arrived after: offered under Link more tickets
    response = page.reload()
    expect(page.get_by_role("region", name="Link more tickets")).to_contain_text("#8104")
    found["outage page with link"] = problems(page, response.text(), html_pages, f"outage page link {name}")
    page.get_by_role("textbox", name="Update").fill("The server is restarting; about ten minutes.")
    page.get_by_role("button", name="Post update").click()
    expect(page.get_by_role("region", name="Updates")).to_contain_text("The server is restarting")
    response = page.goto(live_server.url + "/queue/8101/")
    found["linked ticket"] = problems(page, response.text(), html_pages, f"linked ticket {name}")
    response = page.goto(live_server.url + "/outages/reports/")
    found["outage report"] = problems(page, response.text(), html_pages, f"outage report {name}")
    response = page.goto(live_server.url + "/outages/")
    found["outage list"] = problems(page, response.text(), html_pages, f"outage list {name}")
    page.goto(live_server.url + "/queue/8101/")
    page.get_by_role("link", name="Open the outage").click()
    page.get_by_role("textbox", name="Resolution").fill("The print server is back.")
    page.get_by_role("button", name="Resolve outage").click()
    expect(page.get_by_text("Outage resolved.")).to_be_visible()
    assert Ticket.objects.filter(number__in=[8101, 8102, 8103], status=Ticket.Status.CLOSED).count() == 3
    assert Ticket.objects.get(number=8104).is_open  # never linked: left alone

    emails = {email.subject.split(":")[0]: email for email in OutboundEmail.objects.order_by("pk")}
    assert sorted(emails) == ["Fixed", "Update", "We know about it"]
    for kind, email in emails.items():
        page.set_content(email.body_html)
        found[f"email {kind}"] = problems(page, email.body_html, html_pages, f"outage email {kind} {name}")
    assert {key: problem for key, problem in found.items() if problem} == {}
