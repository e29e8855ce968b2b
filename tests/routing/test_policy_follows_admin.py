"""One source for the policy: what an admin changes in Django admin shows on every page and email at once."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from district.models import HelpDeskSettings
from notifications.models import OutboundEmail
from routing.models import Contact, Role, RoutingRule, ServiceRequest
from routing.services import quote_reminders_send
from tests.admin_forms import admin_change
from tests.factories import SchoolFactory
from tests.routing.factories import ContactFactory, RoutingRuleFactory, StaffMemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("district_policy")]
REQUESTER = "pat.lee@northpanolaschools.org"
PRINCIPAL = "dana.boss@northpanolaschools.org"


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin", "admin@northpanolaschools.org", "x"))
    return client


@pytest.fixture
def school():
    school = SchoolFactory(name="Crenshaw Elementary School")
    StaffMemberFactory(email=PRINCIPAL, name="Dana Boss", role=Role.PRINCIPAL, school=school)
    return school


def emails_text() -> str:
    rows = OutboundEmail.objects.values_list("to", "reply_to", "subject", "body_text", "body_html")
    return "\n".join("\n".join(row) for row in rows)


def routing_panel(client, ticket_fields, subject: str, description: str, **extra) -> str:
    data = {**ticket_fields, "requester_email": REQUESTER, "subject": subject, "description": description, **extra}
    response = client.post("/tickets/new/", data)
    return response.content.decode() if response.status_code == 200 else ""


def event_fields(**overrides) -> dict:
    return {
        "requester_email": REQUESTER,
        "event_name": "Band concert",
        "event_date": (timezone.localdate() + timedelta(days=60)).isoformat(),
        "event_time": "18:30",
        "location": "NPHS gym",
        "details": "Winter concert, all welcome.",
        **overrides,
    }


# (contact, what a person types that the contact's rule claims, the request form it feeds, if any)
CONTACTS = [
    ("Towanda Mangrum", "SAM password reset", "I forgot my SAM password.", None),
    ("Faye Robertson", "Active Resources password", "I need my Active Resources password reset.", None),
    ("Mass email requests", "Mass email", "Please send a mass email to all staff about the concert.", "mass-email"),
    ("Media requests", "Photographer", "We need a photographer for the band concert.", "media"),
    ("C. Malone (quotes)", "Quote for document cameras", "I need a quote for 4 document cameras.", "quote"),
]


def request_form_post(client, form: str, school) -> str:
    """Send the request form as a person would; return the thank-you page."""
    data = {
        "mass-email": event_fields(body="Join us for the winter concert."),
        "media": event_fields(needs=["Video"]),
        "quote": {"requester_email": PRINCIPAL, "school": school.pk, "items": "Document camera, 4", "purpose": "Labs"},
    }[form]
    response = client.post(f"/requests/{form}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(("name", "subject", "description", "form"), CONTACTS)
def test_a_contact_address_changed_in_admin_shows_everywhere_and_the_old_one_nowhere(
    admin_client, client, ticket_fields, school, name, subject, description, form
):
    contact = Contact.objects.get(name=name)
    old, new = contact.email, f"new-desk-{contact.pk}@northpanolaschools.org"
    admin_change(admin_client, f"/admin/routing/contact/{contact.pk}/change/", email=new)
    client.logout()

    policy = client.get("/policy/").content.decode()
    panel = routing_panel(client, ticket_fields, subject, description)
    assert f'href="mailto:{new}"' in policy
    assert new in panel, "the routing panel names the new address"
    pages = [policy, panel, client.get("/").content.decode()]
    if form:
        form_page = client.get(f"/requests/{form}/").content.decode()
        sent_page = request_form_post(client, form, school)
        assert new in form_page and new in sent_page
        assert OutboundEmail.objects.filter(to=new).exists(), "the request goes to the new mailbox"
        pages += [form_page, sent_page]
    else:
        assert routing_panel(client, ticket_fields, subject, description, routing_next="forward") == ""
        assert OutboundEmail.objects.filter(to=new).exists(), "the forwarded request goes to the new address"
        copy = OutboundEmail.objects.get(to=REQUESTER)
        assert new in copy.body_text and new in copy.body_html
    assert OutboundEmail.objects.exists()
    for text in [*pages, emails_text()]:
        assert old not in text


def test_lead_times_changed_in_admin_show_everywhere_and_the_old_ones_nowhere(admin_client, client, ticket_fields):
    changed = {"mass_email": 9, "media": 6}
    for kind, days in changed.items():
        rule = RoutingRule.objects.get(request_form=kind)
        admin_change(admin_client, f"/admin/routing/routingrule/{rule.pk}/change/", lead_business_days=days)
    client.logout()

    policy = client.get("/policy/").content.decode()
    home = client.get("/").content.decode()
    mass_panel = routing_panel(client, ticket_fields, "Mass email", "Please send a mass email to all staff.")
    media_panel = routing_panel(client, ticket_fields, "Photographer", "We need a photographer for the concert.")
    mass_form = client.get("/requests/mass-email/").content.decode()
    media_form = client.get("/requests/media/").content.decode()
    for page in (policy, home):
        assert "at least <strong>9 business days</strong>" in page or "at least 9 business days" in page
        assert "at least <strong>6 business days</strong>" in page or "at least 6 business days" in page
    assert "at least 9 business days before the event" in mass_panel
    assert "at least 6 business days before the event" in media_panel
    assert "<strong>9 business days</strong>" in mass_form and "<strong>6 business days</strong>" in media_form
    late = client.post("/requests/mass-email/", event_fields(event_date=timezone.localdate().isoformat(), body="Hi"))
    assert "at least 9 business days before the event" in late.content.decode()
    for text in [policy, home, mass_panel, media_panel, mass_form, media_form, late.content.decode(), emails_text()]:
        assert not re.search(r"\b(7|5)(\s|</?strong>)+business day", text)
        assert "7 to 10" not in text and "5 to 7" not in text


def test_quote_validity_changed_in_admin_shows_everywhere_and_the_old_one_nowhere(admin_client, client, school):
    HelpDeskSettings.load()
    url = "/admin/district/helpdesksettings/1/change/"
    assert "How long a vendor's quote holds" in admin_client.get(url).content.decode()
    admin_change(admin_client, url, quote_valid_days=45, quote_reminder_days_before=10)
    client.logout()

    policy = client.get("/policy/").content.decode()
    form_page = client.get("/requests/quote/").content.decode()
    sent_page = request_form_post(client, "quote", school)
    quote = ServiceRequest.objects.get(kind="quote")
    ServiceRequest.objects.filter(pk=quote.pk).update(quote_sent_at=timezone.localdate() - timedelta(days=35))
    assert quote_reminders_send() == 1, "reminded 10 days before the 45 days are up"
    reminder = OutboundEmail.objects.get(idempotency_key__startswith="quote-reminder-")
    expires = timezone.localdate() + timedelta(days=10)
    assert reminder.subject == f"Your quote expires on {expires:%A, %B} {expires.day}"

    assert "valid for\n  <strong>45 days</strong>" in policy and "remind you 10 days before" in policy
    assert "within 45 days" in form_page
    assert "valid for 45 days" in sent_page and "remind you 10 days before" in sent_page
    receipt = OutboundEmail.objects.get(to=PRINCIPAL, idempotency_key__startswith="service-request-receipt-")
    assert "Quotes are valid for 45 days" in receipt.body_text and "valid for 45 days" in receipt.body_html
    for text in [policy, form_page, sent_page, emails_text()]:
        assert not re.search(r"\b30(\s|</?strong>)+days?\b", text)
        assert not re.search(r"\b5(\s|</?strong>)+days?\b", text)


def test_quote_reminder_must_come_before_the_quote_expires(admin_client):
    HelpDeskSettings.load()
    url = "/admin/district/helpdesksettings/1/change/"
    with pytest.raises(AssertionError, match="fewer days than quotes are valid"):
        admin_change(admin_client, url, quote_valid_days=5, quote_reminder_days_before=5)


def test_rule_message_placeholders_are_checked_and_copies_of_values_refused(admin_client):
    rule = RoutingRule.objects.get(request_form="mass_email")
    url = f"/admin/routing/routingrule/{rule.pk}/change/"
    with pytest.raises(AssertionError, match="Write {email} instead of the address"):
        admin_change(admin_client, url, message="Write to mass@northpanolaschools.org, please.")
    with pytest.raises(AssertionError, match="Write {days} instead of the number"):
        admin_change(admin_client, url, message="Send it {email} 7 business days ahead.")
    with pytest.raises(AssertionError, match=r"\{phone\} is not a placeholder"):
        admin_change(admin_client, url, message="Call {phone}.")
    admin_change(admin_client, url, message="Send it to {email} ({contact}) {days} business days ahead.")
    rule.refresh_from_db()
    assert rule.shown_message == "Send it to mass@northpanolaschools.org (Mass email requests) 7 business days ahead."


def test_policy_page_follows_the_policys_order(client):
    policy = client.get("/policy/").content.decode()
    headings = re.findall(r'<h2 class="h4 mt-4" id="([a-z-]+)">', policy)
    assert headings == [
        "mass-email",
        "media",
        "sam",
        "active-resources",
        "testing",
        "instructional-programs",
        "maintenance",
        "quotes",
        "purchases",
        "eef",
        "personal-devices",
    ]
    assert 'href="https://www.northpanolaschools.org/">Maintenance Help Desk</a>' in policy
    assert "does not purchase boards, bulbs, cables" in policy  # the rule's own message


def test_a_new_rule_that_stops_tickets_is_listed_and_an_inactive_one_is_not(client):
    RoutingRuleFactory(
        name="Cafeteria menus",
        message="Menus come from {contact}.",
        contact=ContactFactory(name="Food services", email="food@northpanolaschools.org"),
    )
    RoutingRuleFactory(name="Old rule", is_active=False, message="Gone.")
    policy = client.get("/policy/").content.decode()
    assert "<strong>Cafeteria menus</strong>: Menus come from Food services." in policy
    assert 'href="mailto:food@northpanolaschools.org"' in policy and "Old rule" not in policy


def test_policy_and_home_pages_read_the_rules_in_a_few_queries_however_many_there_are(client):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    HelpDeskSettings.load()  # the first page ever shown creates the settings row
    for url in ("/policy/", "/"):
        queries(url)  # the first reads the testing windows, kept from then on (helpdesk.kept)
    before = {url: queries(url) for url in ("/policy/", "/")}
    for number in range(5):
        contact = ContactFactory(name=f"Desk {number}")
        RoutingRuleFactory(name=f"Extra {number}", contact=contact, policy_section="", message="Ask {contact}.")
    after = {url: queries(url) for url in ("/policy/", "/")}
    assert after == before
    assert max(after.values()) <= 3


def test_the_maintenance_desks_link_changed_in_admin_shows_everywhere_and_the_old_one_nowhere(
    admin_client, client, ticket_fields
):
    desk = Contact.objects.get(name="Maintenance Help Desk")
    old, new = desk.url, "https://maintenance.example.org/requests/"
    admin_change(admin_client, f"/admin/routing/contact/{desk.pk}/change/", url=new)
    client.logout()

    policy = client.get("/policy/").content.decode()
    home = client.get("/").content.decode()
    panel = routing_panel(client, ticket_fields, "Heater broken", "The heater in room 12 does not come on.")
    for page in (policy, home, panel):
        assert f'href="{new}"' in page
        assert f'href="{old}"' not in page
