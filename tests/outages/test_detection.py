"""Possible outage: enough open tickets of one type at one school, close together, open a notice in the queue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from district.models import HelpDeskSettings
from outages.models import PossibleOutage
from outages.signals import possible_outage_detected
from tests.factories import SchoolFactory, TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def detected():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    possible_outage_detected.connect(receiver)
    yield received
    possible_outage_detected.disconnect(receiver)


def test_three_at_one_school_open_the_notice_in_the_queue(
    make_tickets, tech_client, detected, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tickets = make_tickets(3)
    detection = PossibleOutage.objects.get()
    assert detection.ticket_numbers == [7001, 7002, 7003]
    assert detected == [
        {
            "school_id": tickets[0].school_id,
            "ticket_type_name": "Internet / Wireless",
            "ticket_numbers": [7001, 7002, 7003],
            "detection_key": detection.detection_key,
            "signal": possible_outage_detected,
        }
    ]
    content = tech_client.get("/queue/").content.decode()
    assert "Possible outage" in content
    assert "3 Internet / Wireless tickets at Green Hill Elementary School" in content
    assert all(f'class="alert-link" href="/queue/{number}/">{number}</a>' in content for number in (7001, 7002, 7003))
    assert f'href="/outages/declare/?detection={detection.pk}"' in content


def test_a_fourth_ticket_joins_the_cluster_without_a_second_signal(
    make_tickets, detected, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_tickets(4)
    assert PossibleOutage.objects.get().ticket_numbers == [7001, 7002, 7003, 7004]
    assert len(detected) == 1


def test_two_tickets_open_no_notice(make_tickets, tech_client, detected, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_tickets(2)
    assert not PossibleOutage.objects.exists()
    assert detected == []
    assert "Possible outage" not in tech_client.get("/queue/").content.decode()


def test_three_at_different_schools_open_no_notice(make_tickets, tech_client, detected):
    for index, name in enumerate(["Green Hill Elementary School", "Pope Elementary School", "Crenshaw School"]):
        make_tickets(1, school=SchoolFactory(name=name), start=7001 + index)
    assert not PossibleOutage.objects.exists()
    assert "Possible outage" not in tech_client.get("/queue/").content.decode()


def test_three_spread_over_more_than_the_window_open_no_notice(green_hill, internet):
    now = timezone.now()
    for minutes in (0, 20, 40):
        TicketFactory(school=green_hill, ticket_type=internet, created_at=now + timedelta(minutes=minutes))
    assert not PossibleOutage.objects.exists()


def test_the_thresholds_are_help_desk_settings(make_tickets):
    config = HelpDeskSettings.load()
    config.outage_ticket_count = 2
    config.save()
    make_tickets(2)
    assert PossibleOutage.objects.get().ticket_numbers == [7001, 7002]


def test_not_an_outage_takes_the_notice_away(make_tickets, tech_client):
    make_tickets(3)
    detection = PossibleOutage.objects.get()
    response = tech_client.post(f"/outages/possible/{detection.pk}/dismiss/")
    assert response.status_code == 302
    assert "Possible outage" not in tech_client.get("/queue/").content.decode()
