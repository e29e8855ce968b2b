"""The outages app's detection reaches the technicians who cover the school, once per outage (issues 20 and 22)."""

import pytest

from tests.alerts.helpers import recipients
from tests.factories import TicketFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db


def possible_outage_mail(smtp_server, count):
    for _ in range(50):
        found = [message for message in smtp_server.messages if message["Subject"].startswith("Possible outage")]
        if len(found) >= count:
            return found
        smtp_server.wait_for(len(smtp_server.messages) + 1, timeout=0.1)
    return [message for message in smtp_server.messages if message["Subject"].startswith("Possible outage")]


def test_three_tickets_at_school_a_alert_a_s_technicians_once(
    two_schools, in_school_hours, smtp_server, django_capture_on_commit_callbacks
):
    internet = TicketTypeFactory(name="Internet / Wireless")
    for number in (7001, 7002, 7003, 7004):  # the fourth joins the same outage: no second alert
        with django_capture_on_commit_callbacks(execute=True):
            TicketFactory(
                number=number,
                school=two_schools["a"],
                ticket_type=internet,
                requester_email=f"teacher{number}@northpanolaschools.org",
            )
    alerts = possible_outage_mail(smtp_server, 2)
    assert recipients(alerts) == ["ana@northpanolaschools.org", "ben@northpanolaschools.org"]
    assert alerts[0]["Subject"] == (
        "Possible outage at Green Hill Elementary School: 3 Internet / Wireless tickets (#7001, #7002, #7003)"
    )
