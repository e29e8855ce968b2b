"""Alerts reach the right technicians, through the outbox and a real SMTP server."""

import datetime
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
import time_machine

from alerts.models import AlertPreference, Delivery, Kind
from alerts.selectors import notify_preview
from alerts.services import alert_possible_outage, alerts_send_due
from district.models import Priority
from inbound.processing import inbound_email_process
from routing.models import ClosedDay
from tests.alerts.helpers import chicago, recipients
from tests.factories import TechnicianFactory
from tickets.models import Ticket
from tickets.services import ticket_create, ticket_note_add, ticket_update, tickets_bulk_update

PAT = "pat.lee@northpanolaschools.org"
pytestmark = pytest.mark.django_db


def new_ticket(school, *, priority=Priority.MEDIUM, subject="The library has no internet"):
    return ticket_create(
        requester_email=PAT,
        subject=subject,
        school=school,
        classroom="Library",
        description="Every computer in the library says there is no connection.",
        priority=priority,
    )


def technicians_mail(smtp_server, count):
    """The messages to technicians (the requester's receipts aside), once `count` of them have arrived."""
    for _ in range(50):
        found = [message for message in smtp_server.wait_for(0, timeout=0) if message["To"] != PAT]
        if len(found) >= count:
            return found
        smtp_server.wait_for(len(smtp_server.messages) + 1, timeout=0.1)
    return [message for message in smtp_server.messages if message["To"] != PAT]


def emailed_reply(ticket, text):
    message = EmailMessage()
    message["From"], message["To"] = PAT, "helpdesk@northpanolaschools.org"
    message["Subject"] = f"Re: [Ticket #{ticket.number}] {ticket.subject}"
    message["Message-ID"] = make_msgid(domain="mail.example.org")
    message.set_content(text)
    return bytes(message)


def test_an_urgent_ticket_at_school_a_reaches_a_s_technicians_and_not_b_s(
    two_schools, in_school_hours, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = new_ticket(two_schools["a"], priority=Priority.URGENT)
    alerts = technicians_mail(smtp_server, 2)
    assert recipients(alerts) == ["ana@northpanolaschools.org", "ben@northpanolaschools.org"]
    for message in alerts:
        assert message["Subject"].startswith(f"[Ticket #{ticket.number}] New urgent ticket at Green Hill")
        assert f"/queue/{ticket.number}/" in message.get_body(("plain",)).get_content()


def test_a_ticket_raised_to_urgent_alerts_the_school_but_not_whoever_raised_it(
    two_schools, in_school_hours, smtp_server, django_capture_on_commit_callbacks
):
    ticket = new_ticket(two_schools["a"])
    with django_capture_on_commit_callbacks(execute=True):
        ticket_update(
            acting_user=two_schools["ana"], ticket=ticket, expected_version=None, changes={"priority": Priority.URGENT}
        )
    assert recipients(technicians_mail(smtp_server, 1)) == ["ben@northpanolaschools.org"]


def test_a_school_nobody_covers_alerts_every_technician(
    db, in_school_hours, smtp_server, django_capture_on_commit_callbacks
):
    from tests.factories import SchoolFactory

    TechnicianFactory(username="cy", email="cy@northpanolaschools.org")
    TechnicianFactory(username="di", email="di@northpanolaschools.org")
    with django_capture_on_commit_callbacks(execute=True):
        new_ticket(SchoolFactory(name="Batesville Middle School"), priority=Priority.URGENT)
    assert recipients(technicians_mail(smtp_server, 2)) == ["cy@northpanolaschools.org", "di@northpanolaschools.org"]


def test_an_assignment_reaches_the_assignee_and_not_the_person_who_assigned(
    two_schools, in_school_hours, smtp_server, django_capture_on_commit_callbacks
):
    ana, bo = two_schools["ana"], two_schools["bo"]
    ticket = new_ticket(two_schools["a"])
    with django_capture_on_commit_callbacks(execute=True):
        ticket_update(acting_user=ana, ticket=ticket, expected_version=None, changes={"assignee": bo})
    [alert] = technicians_mail(smtp_server, 1)
    assert alert["To"] == "bo@northpanolaschools.org"
    assert alert["Subject"] == f"[Ticket #{ticket.number}] Ana Ames assigned this ticket to you: {ticket.subject}"


def test_a_bulk_assignment_reaches_each_assignee_and_taking_a_ticket_yourself_emails_nobody(
    two_schools, in_school_hours, smtp_server, django_capture_on_commit_callbacks
):
    ana, bo = two_schools["ana"], two_schools["bo"]
    first, second = new_ticket(two_schools["a"]), new_ticket(two_schools["b"], subject="Printer jam")
    with django_capture_on_commit_callbacks(execute=True):
        ticket_update(acting_user=ana, ticket=first, expected_version=None, changes={"assignee": ana})
        tickets_bulk_update(acting_user=ana, ticket_ids=[second.pk], changes={"assignee": bo})
    [alert] = technicians_mail(smtp_server, 1)
    assert alert["To"] == "bo@northpanolaschools.org" and f"#{second.number}" in alert["Subject"]


def test_a_requester_s_emailed_reply_reaches_the_assignee(
    two_schools, in_school_hours, smtp_server, django_capture_on_commit_callbacks
):
    ticket = new_ticket(two_schools["a"])
    Ticket.objects.filter(pk=ticket.pk).update(assignee=two_schools["bo"])
    with django_capture_on_commit_callbacks(execute=True):
        inbound_email_process(raw=emailed_reply(ticket, "It is down again after lunch."))
    [alert] = technicians_mail(smtp_server, 1)
    assert alert["To"] == "bo@northpanolaschools.org"
    assert alert["Subject"].startswith(f"[Ticket #{ticket.number}] {PAT} replied: It is down again")


def test_an_unassigned_ticket_s_requester_reply_reaches_the_school_s_technicians(
    two_schools, in_school_hours, smtp_server, django_capture_on_commit_callbacks
):
    ticket = new_ticket(two_schools["a"])
    with django_capture_on_commit_callbacks(execute=True):
        inbound_email_process(raw=emailed_reply(ticket, "Still nothing."))
    assert recipients(technicians_mail(smtp_server, 2)) == ["ana@northpanolaschools.org", "ben@northpanolaschools.org"]


def test_a_mention_reaches_the_technician_who_switched_everything_else_off(
    two_schools, in_school_hours, smtp_server, django_capture_on_commit_callbacks
):
    ana, bo = two_schools["ana"], two_schools["bo"]
    for kind in Kind.values:  # a mention row cannot be made on the page; even one made in admin is ignored
        AlertPreference.objects.create(user=bo, kind=kind, delivery=Delivery.OFF)
    ticket = new_ticket(two_schools["b"], priority=Priority.URGENT)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_update(acting_user=ana, ticket=ticket, expected_version=None, changes={"assignee": bo})
        ticket_note_add(acting_user=ana, ticket=ticket, body="@bo can you check the switch in the closet?")
    [alert] = technicians_mail(smtp_server, 1)
    assert alert["To"] == "bo@northpanolaschools.org"
    assert "Ana Ames mentioned you in a note: @bo can you check" in alert["Subject"]


def test_a_non_urgent_ticket_on_friday_at_17_is_in_monday_s_7_00_digest(
    two_schools, smtp_server, django_capture_on_commit_callbacks
):
    with time_machine.travel(chicago(2026, 11, 13, 17, 0), tick=False) as clock:  # a Friday
        with django_capture_on_commit_callbacks(execute=True):
            ticket = new_ticket(two_schools["a"], priority=Priority.HIGH)
        assert technicians_mail(smtp_server, 0) == []
        clock.move_to(chicago(2026, 11, 16, 6, 59))
        with django_capture_on_commit_callbacks(execute=True):
            alerts_send_due()
        assert technicians_mail(smtp_server, 0) == []
        clock.move_to(chicago(2026, 11, 16, 7, 0))
        with django_capture_on_commit_callbacks(execute=True):
            alerts_send_due()
    digests = technicians_mail(smtp_server, 2)
    assert recipients(digests) == ["ana@northpanolaschools.org", "ben@northpanolaschools.org"]
    assert all(f"Ticket #{ticket.number}" in message.get_body(("plain",)).get_content() for message in digests)


def test_after_a_closed_monday_the_friday_ticket_is_in_tuesday_s_digest(
    two_schools, smtp_server, django_capture_on_commit_callbacks
):
    ClosedDay.objects.create(date=datetime.date(2026, 11, 16), name="Staff development")
    with time_machine.travel(chicago(2026, 11, 13, 17, 0), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            new_ticket(two_schools["a"])
        clock.move_to(chicago(2026, 11, 16, 7, 0))
        with django_capture_on_commit_callbacks(execute=True):
            alerts_send_due()
        assert technicians_mail(smtp_server, 0) == []
        clock.move_to(chicago(2026, 11, 17, 7, 0))
        with django_capture_on_commit_callbacks(execute=True):
            alerts_send_due()
    assert len(technicians_mail(smtp_server, 2)) == 2


def test_urgent_tickets_do_not_wait_for_the_morning(two_schools, smtp_server, django_capture_on_commit_callbacks):
    with time_machine.travel(chicago(2026, 11, 14, 3, 0), tick=False):  # a Saturday night
        with django_capture_on_commit_callbacks(execute=True):
            new_ticket(two_schools["b"], priority=Priority.URGENT)
    assert recipients(technicians_mail(smtp_server, 1)) == ["bo@northpanolaschools.org"]


def test_the_who_will_be_notified_preview_equals_who_is_emailed(
    two_schools, in_school_hours, smtp_server, django_capture_on_commit_callbacks, django_assert_num_queries
):
    AlertPreference.objects.create(user=two_schools["ben"], kind=Kind.REQUESTER_REPLIED, delivery=Delivery.OFF)
    ticket = new_ticket(two_schools["a"])
    ticket.refresh_from_db()
    with django_assert_num_queries(2):  # the technicians and who covers which school, kept for the next page
        preview = notify_preview(ticket=ticket, acting_user=two_schools["ana"])
    with django_assert_num_queries(0):
        again = notify_preview(ticket=ticket, acting_user=two_schools["ana"])
    assert [r.user.email for r in again.requester_answer] == [r.user.email for r in preview.requester_answer]
    with django_capture_on_commit_callbacks(execute=True):
        inbound_email_process(raw=emailed_reply(ticket, "Any news?"))
    emailed = recipients(technicians_mail(smtp_server, 1))
    assert sorted(recipient.user.email for recipient in preview.requester_answer) == emailed
    assert emailed == ["ana@northpanolaschools.org"]


def test_repeated_alerts_for_one_ticket_within_15_minutes_are_folded_into_one_email(
    two_schools, smtp_server, django_capture_on_commit_callbacks
):
    ticket = new_ticket(two_schools["b"])
    Ticket.objects.filter(pk=ticket.pk).update(assignee=two_schools["bo"])
    with time_machine.travel(chicago(2026, 11, 11, 10, 0), tick=False) as clock:
        for minute, text in enumerate(["First.", "Second.", "Third."]):
            clock.move_to(chicago(2026, 11, 11, 10, minute * 5))
            with django_capture_on_commit_callbacks(execute=True):
                inbound_email_process(raw=emailed_reply(ticket, text))
                alerts_send_due()
        assert len(technicians_mail(smtp_server, 1)) == 1
        clock.move_to(chicago(2026, 11, 11, 10, 15))
        with django_capture_on_commit_callbacks(execute=True):
            alerts_send_due()
    first, folded = technicians_mail(smtp_server, 2)
    assert folded["Subject"] == f"[Ticket #{ticket.number}] 2 updates: {ticket.subject}"
    assert "Second." in folded.get_body(("plain",)).get_content()
    assert "Third." in folded.get_body(("plain",)).get_content()


def test_a_possible_outage_emails_the_school_s_technicians_once_per_detection(
    two_schools, smtp_server, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            alert_possible_outage(
                school_id=two_schools["a"].pk,
                ticket_type_name="Internet / Wi-Fi",
                ticket_numbers=[1203, 1201, 1202],
                detection_key="outage-17",
            )
    alerts = technicians_mail(smtp_server, 2)
    assert recipients(alerts) == ["ana@northpanolaschools.org", "ben@northpanolaschools.org"]
    assert alerts[0]["Subject"] == (
        "Possible outage at Green Hill Elementary School: 3 Internet / Wi-Fi tickets (#1201, #1202, #1203)"
    )


def test_send_notification_digest_sends_the_waiting_digests_now(
    two_schools, smtp_server, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    with time_machine.travel(chicago(2026, 11, 13, 17, 0), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            new_ticket(two_schools["b"])
        clock.move_to(chicago(2026, 11, 14, 9, 0))  # Saturday
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_notification_digest", "--due-only")
        assert technicians_mail(smtp_server, 0) == []
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_notification_digest")
    [digest] = technicians_mail(smtp_server, 1)
    assert digest["To"] == "bo@northpanolaschools.org" and digest["Subject"] == "Help desk: 1 update since yesterday"


def test_a_major_issue_rule_raising_a_ticket_to_urgent_alerts_the_school_at_once(
    two_schools, district_policy, in_school_hours, smtp_server, django_capture_on_commit_callbacks
):
    from routing.models import RoutingRule

    rule = RoutingRule.objects.get(name="Major issues: Internet, wireless, business stopped")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_create(
            requester_email=PAT,
            subject="The internet is down in the whole building",
            school=two_schools["b"],
            classroom="Office",
            description="No computer in the building can reach anything.",
            priority=Priority.LOW,
            changed_by_rule=rule,
        )
    assert ticket.priority == Priority.URGENT
    [alert] = technicians_mail(smtp_server, 1)
    assert alert["To"] == "bo@northpanolaschools.org" and "New urgent ticket at Crenshaw" in alert["Subject"]


def test_the_preview_s_reply_line_is_who_a_reply_emails(
    two_schools, in_school_hours, smtp_server, django_capture_on_commit_callbacks
):
    from tickets.services import ticket_reply

    ticket = new_ticket(two_schools["a"])
    preview = notify_preview(ticket=ticket, acting_user=two_schools["ana"])
    before = len(smtp_server.messages)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_reply(acting_user=two_schools["ana"], ticket=ticket, body="I will come by at noon.")
    sent = smtp_server.wait_for(before + 1)[before:]
    assert [message["To"] for message in sent] == [preview.reply_to]
