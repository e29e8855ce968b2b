import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from notifications.models import OutboundEmail
from routing.models import ClosedDay, Role, RoutingRule, ServiceRequest
from routing.services import quote_reminders_send
from tests.factories import SchoolFactory
from tests.files import pdf_bytes, upload
from tests.routing.factories import StaffMemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("district_policy")]
# Monday, December 7, 2026, mid-morning in the district.
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("America/Chicago"))
REQUESTER = "pat.lee@northpanolaschools.org"


@pytest.fixture
def frozen_monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


def event(**overrides):
    return {
        "requester_email": REQUESTER,
        "event_name": "Band concert",
        "event_date": "2026-12-16",
        "event_time": "18:30",
        "location": "NPHS gym",
        "details": "Winter concert, all welcome.",
        **overrides,
    }


@pytest.mark.usefixtures("frozen_monday")
def test_mass_email_seven_business_days_ahead_is_sent_with_its_documents(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    page = client.get("/requests/mass-email/").content.decode()
    assert "Wednesday, December 16, 2026" in page  # the earliest on-time date is stated up front
    for label in [
        "Requester",
        "Event name",
        "Event date",
        "Event time",
        "Location",
        "Fee (if charging)",
        "Details",
        "Supporting documents",
    ]:
        assert re.search(rf"<label[^>]*>\s*{re.escape(label)}", page), label
    assert 'type="date"' in page and 'type="time"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/requests/mass-email/", {**event(fee="$5 at the door"), "attachments": [upload("flyer.pdf", pdf_bytes())]}
        )

    sent = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/requests/sent/{sent.public_id}/"
    assert (sent.kind, sent.mailbox, sent.fee) == ("mass_email", "mass@northpanolaschools.org", "$5 at the door")
    mailbox, receipt = sorted(mailoutbox, key=lambda message: message.to != ["mass@northpanolaschools.org"])
    assert mailbox.reply_to == [REQUESTER]
    assert mailbox.subject == "[Mass email request] Band concert, Dec 16, 2026 from pat.lee@northpanolaschools.org"
    for text in ["Event time: 6:30 PM", "Location: NPHS gym", "Fee: $5 at the door", "flyer.pdf: http"]:
        assert text in mailbox.body
    link = re.search(r"flyer\.pdf: http://[^/]+(/requests/files/\S+/)", mailbox.body).group(1)
    download = client.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes()
    assert client.get(link.replace("/files/", "/files/x")).status_code == 404
    assert mailbox.attachments == [("flyer.pdf", pdf_bytes(), "application/pdf")]  # the mailbox gets the file itself
    assert receipt.to == [REQUESTER] and "mass@northpanolaschools.org" in receipt.body
    assert "on its way" in client.get(response["Location"]).content.decode()


@pytest.mark.usefixtures("frozen_monday")
def test_late_mass_email_is_refused_with_the_earliest_on_time_date(client):
    ClosedDay.objects.create(date=date(2026, 12, 10), name="Staff development day")
    response = client.post("/requests/mass-email/", event(event_date="2026-12-16"))
    content = response.content.decode()
    assert ServiceRequest.objects.count() == 0
    assert "earliest event date we can take today is Thursday, December 17, 2026" in content
    assert 'value="Band concert"' in content  # nothing typed is lost


@pytest.mark.usefixtures("frozen_monday")
def test_lead_time_is_the_rule_setting_not_a_constant(client):
    RoutingRule.objects.filter(request_form="mass_email").update(lead_business_days=2)
    assert client.post("/requests/mass-email/", event(event_date="2026-12-09")).status_code == 302


def test_request_just_before_midnight_counts_from_the_district_date(client):
    """At 11:30 PM on Thursday, March 4, 2027 in the district it is already Friday in UTC; Thursday counts."""
    late_thursday = datetime(2027, 3, 4, 23, 30, tzinfo=ZoneInfo("America/Chicago"))
    assert late_thursday.astimezone(ZoneInfo("UTC")) == datetime(2027, 3, 5, 5, 30, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(late_thursday, tick=False):
        page = client.get("/requests/mass-email/").content.decode()
        response = client.post("/requests/mass-email/", event(event_date="2027-03-15"))
    # Seven business days after Thursday is Monday, March 15; counted from Friday it would be Tuesday the 16th.
    assert "Monday, March 15, 2027" in page
    assert response.status_code == 302
    assert ServiceRequest.objects.get().event_date == date(2027, 3, 15)


@pytest.mark.usefixtures("frozen_monday")
def test_late_media_request_needs_the_acknowledgement(client):
    data = event(event_date="2026-12-10", needs=["Photographer", "Flyer"])
    content = client.post("/requests/media/", data).content.decode()
    assert "cannot be guaranteed" in content and "I understand this cannot be guaranteed" in content
    assert ServiceRequest.objects.count() == 0

    response = client.post("/requests/media/", {**data, "late_acknowledged": "on"})
    sent = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert (sent.mailbox, sent.needs, sent.late_acknowledged) == (
        "mediatech@northpanolaschools.org",
        "Photographer, Flyer",
        True,
    )


@pytest.mark.usefixtures("frozen_monday")
def test_error_summary_links_to_the_first_what_you_need_checkbox(client):
    content = client.post("/requests/media/", event(event_date="2026-12-18")).content.decode()
    assert '<a href="#id_needs_0" class="alert-link">What you need</a>: Please tick what you need' in content
    assert 'id="id_needs_0"' in content
    assert '<a href="#id_event_name"' not in content  # only fields with errors are listed


@pytest.mark.usefixtures("frozen_monday")
def test_media_request_on_time_needs_no_acknowledgement_and_same_day_is_refused(client):
    on_time = client.post("/requests/media/", event(event_date="2026-12-14", needs=["Video"]))
    assert on_time.status_code == 302
    same_day = client.post("/requests/media/", event(event_date="2026-12-07", needs=["Video"], late_acknowledged="on"))
    assert "We cannot take media requests on the day of the event" in same_day.content.decode()
    assert ServiceRequest.objects.count() == 1


def test_quote_is_only_from_building_administrators_and_district_office(client, mailoutbox):
    school = SchoolFactory(name="Crenshaw Elementary School")
    StaffMemberFactory(email="boss@northpanolaschools.org", name="Dana Boss", role=Role.PRINCIPAL, school=school)
    StaffMemberFactory(email=REQUESTER, role=Role.TEACHER, school=school)
    data = {"requester_email": REQUESTER, "school": school.pk, "items": "Document camera, 4", "purpose": "Science"}

    content = client.post("/requests/quote/", data).content.decode()
    assert "Please ask Dana Boss (boss@northpanolaschools.org) to request this quote." in content
    assert ServiceRequest.objects.count() == 0

    response = client.post("/requests/quote/", {**data, "requester_email": "boss@northpanolaschools.org"})
    assert response.status_code == 302
    assert "valid for 30 days" in client.get(response["Location"]).content.decode()
    receipt = OutboundEmail.objects.get(to="boss@northpanolaschools.org")
    assert "Quotes are valid for 30 days" in receipt.body_text and "save the quote" in receipt.body_text
    assert OutboundEmail.objects.filter(to="cmalone@northpanolaschools.org").exists()


def test_quote_reminder_goes_five_days_before_expiry_once():
    today = date(2026, 12, 7)
    quote = ServiceRequest.objects.create(
        kind="quote", requester_email=REQUESTER, mailbox="cmalone@northpanolaschools.org", items="Cameras, 4"
    )
    ServiceRequest.objects.filter(pk=quote.pk).update(quote_sent_at=today - timedelta(days=24))
    assert quote_reminders_send(today=today) == 0
    ServiceRequest.objects.filter(pk=quote.pk).update(quote_sent_at=today - timedelta(days=25))
    assert quote_reminders_send(today=today) == 1
    assert quote_reminders_send(today=today) == 0
    reminder = OutboundEmail.objects.get()
    assert reminder.to == REQUESTER and reminder.subject == "Your quote expires on Saturday, December 12"


def test_home_page_links_to_the_request_forms(client):
    content = client.get("/").content.decode()
    for url, name in [
        ("/requests/mass-email/", "Mass email request"),
        ("/requests/media/", "Media request"),
        ("/requests/quote/", "Quote request"),
    ]:
        assert f'<a href="{url}">{name}</a>' in content


def test_home_page_lead_times_come_from_the_rules(client):
    RoutingRule.objects.filter(request_form="mass_email").update(lead_business_days=9)
    RoutingRule.objects.filter(request_form="media").update(lead_business_days=1)
    content = client.get("/").content.decode()
    assert "Mass email request</a>: at least 9 business days before the event." in content
    assert "(photographer, video, flyer): at least 1 business day before the event." in content
    assert "7 business days" not in content and "5 business days" not in content


def test_form_without_a_mailbox_says_what_to_do(client):
    RoutingRule.objects.filter(request_form="media").delete()
    response = client.get("/requests/media/")
    assert response.status_code == 503 and "This request form is not available right now" in response.content.decode()
