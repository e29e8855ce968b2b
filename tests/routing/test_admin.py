import uuid
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from routing.models import ClosedDay, Contact, DeflectionLog, RoutingRule
from routing.selectors import routing_rule_for_request, rule_set_current
from tests.factories import SchoolFactory, TicketFactory, TicketTypeFactory
from tests.routing.factories import WindowFactory
from tickets.models import TicketRoutingLog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("district_policy")]
ADD_URL = "/admin/routing/routingrule/add/"


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin", "admin@northpanolaschools.org", "x"))
    return client


def rule_data(**overrides):
    return {
        "name": "Chromebook carts",
        "is_active": "on",
        "order": "5",
        "keywords": "cart\ncarts",
        "unless_keywords": "",
        "pattern": "",
        "action": "explain",
        "message": "Carts are booked by the librarian.",
        "allow_override": "on",
        **overrides,
    }


def test_admin_rejects_a_rule_that_would_match_every_request(admin_client):
    response = admin_client.post(ADD_URL, rule_data(keywords=""))
    assert response.status_code == 200
    assert "This rule would match every request." in response.content.decode()
    assert not RoutingRule.objects.filter(name="Chromebook carts").exists()


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("(unclosed", "This regular expression does not work"),
        (".*", "matches almost any text"),
        (r"cart(?!s)", "uses a look-ahead or look-behind"),
        (r"(cart) \1", "uses a backreference"),
    ],
)
def test_admin_rejects_a_bad_regular_expression(admin_client, pattern, problem):
    response = admin_client.post(ADD_URL, rule_data(keywords="", pattern=pattern))
    assert problem in response.content.decode()
    assert not RoutingRule.objects.filter(name="Chromebook carts").exists()


def test_admin_rejects_a_person_rule_without_a_contact(admin_client):
    response = admin_client.post(ADD_URL, rule_data(action="person"))
    assert "Choose the person to send these requests to." in response.content.decode()


@pytest.mark.parametrize(
    ("request_form", "lead_time_needed"), [("mass_email", True), ("media", True), ("quote", False)]
)
def test_mass_email_and_media_forms_need_a_lead_time(request_form, lead_time_needed):
    rule = RoutingRule.objects.get(request_form=request_form)
    rule.lead_business_days = None
    if lead_time_needed:
        with pytest.raises(ValidationError) as raised:
            rule.full_clean()
        assert "business days before the event" in raised.value.message_dict["lead_business_days"][0]
    else:
        rule.full_clean()


def test_admin_asks_for_the_lead_time_of_a_media_form(admin_client):
    media = Contact.objects.get(name="Media requests")
    data = rule_data(name="Yearbook photos", action="form", request_form="media", contact=media.pk)
    response = admin_client.post(ADD_URL, data)
    assert "Enter how many business days before the event a request must come in" in response.content.decode()
    assert admin_client.post(ADD_URL, {**data, "lead_business_days": "5"}).status_code == 302


def test_rule_saved_in_admin_takes_effect_at_once_and_keeps_history(admin_client):
    before = rule_set_current()
    response = admin_client.post(ADD_URL, rule_data(pattern=r"\bcart\s*#?\d+", keywords=""))
    assert response.status_code == 302, response.content.decode()[:2000]

    rule = RoutingRule.objects.get(name="Chromebook carts")
    assert rule_set_current().stamp != before.stamp
    match = routing_rule_for_request(subject="Cart #4", description="Cart 4 has no power.")
    assert (match.rule, match.matched) == (rule, "Cart #4")
    assert rule.history.get().history_user.username == "admin"


def test_rule_roles_are_chosen_from_the_list(admin_client):
    data = rule_data(action="role", allowed_roles=["principal", "building_administrator"])
    assert admin_client.post(ADD_URL, data).status_code == 302
    assert RoutingRule.objects.get(name="Chromebook carts").allowed_role_list() == [
        "principal",
        "building_administrator",
    ]


def test_rule_tester_shows_the_rule_the_word_and_the_message(admin_client):
    testing = TicketTypeFactory(name="Testing")
    response = admin_client.get(
        "/admin/routing/routingrule/tester/",
        {"subject": "Password", "description": "Reset my SAM password please", "ticket_type": testing.pk},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert ">SAM Spectra 7 questions</a>" in content and '<td id="tester-matched">SAM</td>' in content
    assert "handled by Towanda Mangrum" in content
    assert 'id="tester-panel"' in content and "Send this to Towanda Mangrum for me" in content

    none = admin_client.get("/admin/routing/routingrule/tester/", {"subject": "Printer", "description": "Jammed"})
    assert "No rule fires" in none.content.decode()


def test_rule_tester_needs_staff(client):
    response = client.get("/admin/routing/routingrule/tester/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_one_click_loads_a_school_years_federal_holidays(admin_client):
    page = admin_client.get("/admin/routing/closedday/").content.decode()
    assert "Load US federal holidays for" in page

    response = admin_client.post("/admin/routing/closedday/load-holidays/", {"school_year": "2026"}, follow=True)
    days = dict(ClosedDay.objects.values_list("date", "name"))
    assert days[date(2026, 11, 26)] == "Thanksgiving Day"
    assert days[date(2027, 1, 18)].startswith("Martin Luther King")
    assert date(2026, 7, 4) not in days and date(2027, 7, 5) in days  # school year runs August to July
    assert "for the 2026–2027 school year" in response.content.decode()

    admin_client.post("/admin/routing/closedday/load-holidays/", {"school_year": "2026"})
    assert ClosedDay.objects.count() == len(days)  # loading twice adds nothing


def test_every_routing_admin_page_opens(admin_client):
    for model in [
        "contact",
        "routingrule",
        "testingwindow",
        "closedday",
        "staffmember",
        "deflectionlog",
        "servicerequest",
    ]:
        assert admin_client.get(f"/admin/routing/{model}/").status_code == 200, model
    rule = RoutingRule.objects.get(name="Maintenance requests")
    assert admin_client.get(f"/admin/routing/routingrule/{rule.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/routing/routingrule/{rule.pk}/history/").status_code == 200


def test_admin_records_when_a_quote_was_sent(admin_client):
    from routing.models import ServiceRequest

    quote = ServiceRequest.objects.create(
        kind="quote", requester_email="boss@northpanolaschools.org", mailbox="cmalone@northpanolaschools.org"
    )
    url = f"/admin/routing/servicerequest/{quote.pk}/change/"
    assert 'name="quote_sent_at"' in admin_client.get(url).content.decode()
    response = admin_client.post(
        url, {"quote_sent_at": "2026-12-01", "files-TOTAL_FORMS": "0", "files-INITIAL_FORMS": "0"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    quote.refresh_from_db()
    assert quote.quote_sent_at == date(2026, 12, 1)


def test_admin_rejects_a_change_rule_that_changes_nothing(admin_client):
    response = admin_client.post(ADD_URL, rule_data(action="change"))
    assert "Choose a priority or write a note for technicians, or both." in response.content.decode()


def test_testing_window_list_reads_schools_in_one_query(admin_client, django_assert_max_num_queries):
    """Ten windows cost no more queries than one."""
    schools = [SchoolFactory(name="Crenshaw Elementary School"), SchoolFactory(name="Green Hill Elementary School")]
    WindowFactory(name="Window 0").schools.set(schools)
    admin_client.get("/admin/routing/testingwindow/")  # the first request fills per-process caches
    with CaptureQueriesContext(connection) as one_window:
        assert admin_client.get("/admin/routing/testingwindow/").status_code == 200
    for number in range(1, 10):
        WindowFactory(name=f"Window {number}").schools.set(schools)

    with django_assert_max_num_queries(len(one_window)):
        content = admin_client.get("/admin/routing/testingwindow/").content.decode()
    assert content.count("Green Hill Elementary School, Crenshaw Elementary School</td>") == 10


def test_a_tickets_admin_page_lists_the_routing_rules_it_went_through(admin_client):
    """The ticket's side keeps the link to routing's logs, so the ticket's admin page is where they are listed."""
    ticket = TicketFactory()
    log = DeflectionLog.objects.create(
        public_id=uuid.uuid4(),
        rule_name="SAM Spectra 7 questions",
        requester_email=ticket.requester_email,
        outcome=DeflectionLog.Outcome.OVERRIDDEN,
    )
    TicketRoutingLog.objects.create(ticket=ticket, deflection=log)

    page = admin_client.get(f"/admin/tickets/ticket/{ticket.pk}/change/").content.decode()

    assert "Routing rules it went through" in page
    assert "SAM Spectra 7 questions" in page
