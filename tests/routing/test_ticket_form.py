import re
from urllib.parse import quote

import pytest

from notifications.models import OutboundEmail
from routing.models import DeflectionLog, Role, RoutingRule
from tests.factories import SchoolFactory
from tests.routing.factories import StaffMemberFactory
from tickets.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("district_policy")]
SUBMIT_URL = "/tickets/new/"
REQUESTER = "pat.lee@northpanolaschools.org"


@pytest.fixture
def sam_request(ticket_fields):
    return {
        **ticket_fields,
        "requester_email": REQUESTER,
        "subject": "SAM password reset",
        "description": "I cannot log in to SAM & my grades are due <today>.",
    }


def test_sam_request_is_stopped_with_the_contact_and_nothing_lost(client, sam_request):
    """No ticket; the page names Towanda Mangrum, offers to send it, links a filled-in email and keeps the form."""
    response = client.post(SUBMIT_URL, sam_request)
    content = response.content.decode()

    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert "Please send this to Towanda Mangrum" in content
    assert re.search(
        r'<button type="submit" name="routing_next" value="forward"[^>]*>Send this to Towanda Mangrum', content
    )
    subject = quote(sam_request["subject"], safe="")
    assert f'href="mailto:tmangrum@northpanolaschools.org?subject={subject}&amp;body=' in content
    assert 'value="SAM password reset"' in content
    assert "my grades are due &lt;today&gt;." in content  # kept, and escaped
    assert "Please correct" not in content and 'role="alert"' in content
    deflection = DeflectionLog.objects.get()
    assert (deflection.rule_name, deflection.matched, deflection.outcome) == (
        "SAM Spectra 7 questions",
        "SAM",
        DeflectionLog.Outcome.SHOWN,
    )
    assert f'name="routing_deflection" value="{deflection.public_id}"' in content


def test_send_this_for_me_emails_the_contact_with_reply_to_and_a_copy(
    client, sam_request, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT_URL, {**sam_request, "routing_next": "forward"})

    deflection = DeflectionLog.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/routing/sent/{deflection.public_id}/"
    assert deflection.outcome == DeflectionLog.Outcome.FORWARDED
    assert Ticket.objects.count() == 0
    to_contact, copy = sorted(mailoutbox, key=lambda message: message.to[0] != "tmangrum@northpanolaschools.org")
    assert to_contact.to == ["tmangrum@northpanolaschools.org"] and to_contact.reply_to == [REQUESTER]
    assert to_contact.subject == f"Request from {REQUESTER}: SAM password reset"
    assert "I cannot log in to SAM & my grades are due <today>." in to_contact.body
    assert copy.to == [REQUESTER] and copy.reply_to == ["tmangrum@northpanolaschools.org"]
    page = client.get(response["Location"]).content.decode()
    assert "Your request is on its way to Towanda Mangrum" in page

    client.post(SUBMIT_URL, {**sam_request, "routing_next": "forward", "routing_deflection": deflection.public_id})
    assert OutboundEmail.objects.count() == 2  # sending the same deflection twice emails once


def test_send_this_for_me_sends_the_request_as_last_edited(
    client, sam_request, django_capture_on_commit_callbacks, mailoutbox
):
    """The person reads the message, corrects the description, then has it sent: the contact gets the correction."""
    client.post(SUBMIT_URL, sam_request)
    first = DeflectionLog.objects.get()
    edited = {
        **sam_request,
        "description": "Edited: my SAM password expired this morning.",
        "routing_deflection": first.public_id,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT_URL, {**edited, "routing_next": "forward"})

    deflection = DeflectionLog.objects.get()
    assert deflection.description == edited["description"]
    to_contact, copy = sorted(mailoutbox, key=lambda message: message.to[0] != "tmangrum@northpanolaschools.org")
    assert "Edited: my SAM password expired this morning." in to_contact.body
    assert "my grades are due" not in to_contact.body and "my grades are due" not in copy.body
    assert "Edited: my SAM password" in client.get(response["Location"]).content.decode()

    # Edited again after it went, and sent again: the new text goes too, and the first log keeps what was sent.
    again = {**edited, "description": "Also my SAM grades page is blank.", "routing_next": "forward"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBMIT_URL, again)
    assert "Also my SAM grades page is blank." in mailoutbox[-2].body + mailoutbox[-1].body
    deflection.refresh_from_db()
    assert deflection.description == edited["description"]
    assert DeflectionLog.objects.filter(outcome=DeflectionLog.Outcome.FORWARDED).count() == 2


def test_sent_page_is_only_for_the_browser_that_sent_it(client, sam_request):
    response = client.post(SUBMIT_URL, {**sam_request, "routing_next": "forward"})
    client.cookies.clear()
    assert client.get(response["Location"]).status_code == 404


def test_my_request_is_different_creates_a_ticket_that_records_the_rule(client, sam_request):
    client.post(SUBMIT_URL, sam_request)
    deflection = DeflectionLog.objects.get()
    rule = RoutingRule.objects.get(name="SAM Spectra 7 questions")

    response = client.post(
        SUBMIT_URL,
        {
            **sam_request,
            "routing_override": "on",
            "routing_rule_seen": rule.pk,
            "routing_deflection": deflection.public_id,
        },
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.overridden_rule == rule
    deflection.refresh_from_db()
    assert deflection.outcome == DeflectionLog.Outcome.OVERRIDDEN
    assert list(ticket.routing_logs.values_list("deflection", flat=True)) == [deflection.pk]
    assert DeflectionLog.objects.count() == 1


def hidden_routing_fields(content: str) -> dict:
    """Return the routing answers the page sends back, as a browser would."""
    fields = {}
    for name, value in re.findall(r'<input type="hidden" name="(routing_\w+)" value="([^"]*)"', content):
        fields.setdefault(name, []).append(value)
    return fields


def test_my_request_is_different_to_two_rules_in_a_row_logs_both(client, ticket_fields):
    """Overriding SAM, then Active Resources, on one request: both logs say overridden, with the ticket."""
    sam, active = (
        RoutingRule.objects.get(name=name) for name in ["SAM Spectra 7 questions", "Active Resources questions"]
    )
    data = {
        **ticket_fields,
        "requester_email": REQUESTER,
        "subject": "SAM and Active Resources",
        "description": "The SAM Labs kit cannot open Active Resources lessons on the cart laptops.",
    }
    first = client.post(SUBMIT_URL, data).content.decode()
    assert "Please send this to Towanda Mangrum" in first
    second = client.post(SUBMIT_URL, {**data, **hidden_routing_fields(first), "routing_override": "on"})
    assert "Please send this to Faye Robertson" in second.content.decode()

    response = client.post(
        SUBMIT_URL, {**data, **hidden_routing_fields(second.content.decode()), "routing_override": "on"}
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.overridden_rule == sam
    linked = set(ticket.routing_logs.values_list("deflection", flat=True))
    logged = {
        deflection.rule: (deflection.outcome, deflection.pk in linked) for deflection in DeflectionLog.objects.all()
    }
    overridden = (DeflectionLog.Outcome.OVERRIDDEN, True)
    assert logged == {sam: overridden, active: overridden}


def test_override_for_another_rule_does_not_let_the_request_through(client, sam_request):
    other = RoutingRule.objects.get(name="Active Resources questions")
    client.post(SUBMIT_URL, {**sam_request, "routing_override": "on", "routing_rule_seen": other.pk})
    assert Ticket.objects.count() == 0


def test_rule_without_override_offers_no_override(client, ticket_fields):
    school = SchoolFactory(name="Green Hill Elementary School")
    StaffMemberFactory(email="boss@northpanolaschools.org", name="Dana Boss", role=Role.PRINCIPAL, school=school)
    rule = RoutingRule.objects.get(name="Access levels in instructional programs")
    data = {
        **ticket_fields,
        "requester_email": REQUESTER,
        "subject": "Access level",
        "description": "Please change my access level in the reading program.",
    }
    content = client.post(SUBMIT_URL, data).content.decode()
    assert "Only a building administrator can request this" in content
    assert "Dana Boss" in content and "boss@northpanolaschools.org" in content
    assert "My request is different" not in content

    client.post(SUBMIT_URL, {**data, "routing_override": "on", "routing_rule_seen": rule.pk})
    assert Ticket.objects.count() == 0


def test_major_issue_raises_priority_and_adds_a_note(client, ticket_fields):
    data = {
        **ticket_fields,
        "requester_email": REQUESTER,
        "priority": "1",
        "subject": "Internet down",
        "description": "The internet is down in the whole building at Green Hill.",
    }
    response = client.post(SUBMIT_URL, data)

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.priority == Ticket.Priority.URGENT
    assert ticket.routing_note.startswith("Major issue under the policy")
    assert DeflectionLog.objects.get().outcome == DeflectionLog.Outcome.TICKET_CHANGED


def test_override_still_applies_a_later_change_rule(client, ticket_fields):
    rule = RoutingRule.objects.get(name="SAM Spectra 7 questions")
    data = {
        **ticket_fields,
        "requester_email": REQUESTER,
        "priority": "1",
        "subject": "SAM lab: internet down",
        "description": "The internet is down in the SAM lab, no one can work.",
        "routing_override": "on",
        "routing_rule_seen": rule.pk,
    }
    client.post(SUBMIT_URL, data)
    ticket = Ticket.objects.get()
    assert (ticket.overridden_rule, ticket.priority) == (rule, Ticket.Priority.URGENT)


def test_request_form_rule_carries_what_was_typed_to_the_form(client, ticket_fields):
    data = {
        **ticket_fields,
        "requester_email": REQUESTER,
        "subject": "Band concert",
        "description": "Please send a mass email about the band concert on Friday.",
    }
    content = client.post(SUBMIT_URL, data).content.decode()
    assert "Please use the mass email request form" in content

    response = client.post(SUBMIT_URL, {**data, "routing_next": "form"})
    deflection = DeflectionLog.objects.latest("created_at")
    assert response["Location"] == f"/requests/mass-email/?from={deflection.public_id}"
    assert deflection.outcome == DeflectionLog.Outcome.FORM_OPENED
    form_page = client.get(response["Location"]).content.decode()
    assert f'value="{REQUESTER}"' in form_page and 'value="Band concert"' in form_page
    assert "Please send a mass email about the band concert on Friday." in form_page

    # Back on the ticket form, the person corrects the description and opens the form again: it carries the edit.
    edited = {**data, "description": "Please send a mass email about the band concert on Saturday."}
    response = client.post(SUBMIT_URL, {**edited, "routing_next": "form", "routing_deflection": deflection.public_id})
    assert response["Location"] == f"/requests/mass-email/?from={deflection.public_id}"
    form_page = client.get(response["Location"]).content.decode()
    assert "band concert on Saturday." in form_page and "band concert on Friday." not in form_page

    from routing.selectors import district_today, earliest_on_time_date

    event_date = earliest_on_time_date(requested_on=district_today(), lead_business_days=7)
    sent = client.post(
        "/requests/mass-email/",
        {
            "from": deflection.public_id,
            "requester_email": REQUESTER,
            "event_name": "Band concert",
            "event_date": event_date.isoformat(),
            "event_time": "18:00",
            "location": "NPHS gym",
            "details": "Please announce it.",
        },
    )
    assert sent.status_code == 302
    deflection.refresh_from_db()
    assert deflection.outcome == DeflectionLog.Outcome.FORM_SENT


def test_maintenance_goes_to_the_maintenance_help_desk_link(client, ticket_fields):
    data = {**ticket_fields, "requester_email": REQUESTER, "subject": "Heater", "description": "The heater is off."}
    content = client.post(SUBMIT_URL, data).content.decode()
    assert 'href="https://www.northpanolaschools.org/">Go to the Maintenance Help Desk</a>' in content
    assert Ticket.objects.count() == 0


def test_live_check_returns_the_message_while_typing(client):
    response = client.post(
        "/routing/check/", {"subject": "Need ink", "description": "We are out of ink", "requester_email": REQUESTER}
    )
    content = response.content.decode()
    assert "The Technology Department does not purchase boards" in content and "id_routing_override" in content
    assert " checked>" not in content
    assert client.post("/routing/check/", {"subject": "Printer", "description": "Paper jam"}).content == b""
    assert DeflectionLog.objects.count() == 0  # typing is not a deflection


def test_live_check_names_no_one_and_does_not_reveal_who_has_a_role(client):
    """The live check is public: it gives the rule's message and general advice whoever's address is typed."""
    school = SchoolFactory(name="Green Hill Elementary School")
    StaffMemberFactory(email="boss@northpanolaschools.org", name="Dana Boss", role=Role.PRINCIPAL, school=school)
    typed = {"subject": "Access level", "description": "Please change my access level in reading.", "school": school.pk}

    as_teacher = client.post("/routing/check/", {**typed, "requester_email": REQUESTER}).content.decode()
    as_principal = client.post("/routing/check/", {**typed, "requester_email": "boss@northpanolaschools.org"})

    assert "Only a building administrator can request this" in as_teacher
    assert "Please ask your building administrator" in as_teacher
    assert "Dana Boss" not in as_teacher and "boss@northpanolaschools.org" not in as_teacher
    assert as_principal.content.decode() == as_teacher


def test_live_check_keeps_the_override_tick_for_the_same_rule(client):
    rule = RoutingRule.objects.get(name="Equipment purchases")
    data = {"subject": "Need ink", "description": "We are out of ink", "routing_override": "on"}
    assert " checked>" in client.post("/routing/check/", {**data, "routing_rule_seen": rule.pk}).content.decode()
    assert " checked>" not in client.post("/routing/check/", {**data, "routing_rule_seen": 0}).content.decode()


def test_form_includes_htmx_live_check_and_works_without_it(client):
    content = client.get(SUBMIT_URL).content.decode()
    assert 'data-hx-post="/routing/check/"' in content and "htmx.min.js" in content


def test_send_this_for_me_forwards_the_attached_files(
    client, sam_request, django_capture_on_commit_callbacks, mailoutbox
):
    from tests.files import png_bytes, upload

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            SUBMIT_URL,
            {**sam_request, "routing_next": "forward", "attachments": [upload("sam-error.png", png_bytes())]},
        )

    to_contact = next(message for message in mailoutbox if message.to == ["tmangrum@northpanolaschools.org"])
    link = re.search(r"sam-error\.png: http://[^/]+(/requests/files/\S+/)", to_contact.body).group(1)
    download = client.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == png_bytes()
    assert 'filename="sam-error.png"' in download["Content-Disposition"]
    assert DeflectionLog.objects.get().files.get().original_name == "sam-error.png"
    assert to_contact.attachments == [("sam-error.png", png_bytes(), "image/png")]


def test_two_misfiring_rules_can_both_be_answered(client, ticket_fields):
    """After "My request is different" for one rule, the next rule asks too, and answering it lets the ticket in."""
    sam = RoutingRule.objects.get(name="SAM Spectra 7 questions")
    purchases = RoutingRule.objects.get(name="Equipment purchases")
    data = {
        **ticket_fields,
        "requester_email": REQUESTER,
        "subject": "SAM Labs robots",
        "description": "The SAM Labs robots we purchase for STEM class will not pair.",
    }
    content = client.post(SUBMIT_URL, {**data, "routing_override": "on", "routing_rule_seen": sam.pk}).content
    content = content.decode()
    assert "does not purchase boards" in content
    assert f'name="routing_rule_seen" value="{sam.pk}"' in content  # still answered on the next submit

    client.post(SUBMIT_URL, {**data, "routing_override": "on", "routing_rule_seen": [sam.pk, purchases.pk]})
    assert Ticket.objects.get().overridden_rule == sam
