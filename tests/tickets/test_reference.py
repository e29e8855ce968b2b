"""Schools, types, technicians and canned responses are kept in the cache, and a change in admin shows at once."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from routing.models import TestingWindow
from tests.factories import SchoolFactory, TechnicianFactory, TicketFactory, UserFactory
from tickets.models import CannedResponse
from tickets.reference import schools_kept, technicians_kept

pytestmark = pytest.mark.django_db


def ticket_page(client, number: int) -> str:
    response = client.get(reverse("tickets:detail", args=[number]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_school_added_or_renamed_shows_on_the_next_page(tech_client):
    ticket = TicketFactory(number=7001)
    assert "Riverside Annex" not in ticket_page(tech_client, 7001)  # the tables are now kept
    school = SchoolFactory(name="Riverside Annex")
    assert f'<option value="{school.pk}">Riverside Annex</option>' in ticket_page(tech_client, 7001)
    ticket.school.name = "Batesville Elementary (main)"
    ticket.school.save()
    page = ticket_page(tech_client, 7001)
    assert "Batesville Elementary (main), " in page  # "School and room", from the kept names


def test_a_technician_added_renamed_or_removed_shows_on_the_next_page(tech_client, technician):
    ticket_page(tech_client, TicketFactory(number=7002).number)
    newcomer = TechnicianFactory(username="robin", first_name="Robin", last_name="Hale")
    assert f'<option value="{newcomer.pk}">Robin Hale</option>' in ticket_page(tech_client, 7002)
    newcomer.first_name = "Robyn"
    newcomer.save()
    assert "Robyn Hale" in ticket_page(tech_client, 7002)
    newcomer.groups.remove(Group.objects.get(name="Technicians"))
    assert "Robyn Hale" not in ticket_page(tech_client, 7002)


def test_a_reply_by_someone_no_longer_a_technician_still_shows_their_name(tech_client):
    former = UserFactory(username="former", first_name="Pat", last_name="Lee")
    ticket = TicketFactory(number=7003, assignee=former)
    ticket.events.create(kind="reply", author=former, body="Fixed the cable.")
    page = ticket_page(tech_client, 7003)
    assert page.count("Pat Lee") >= 2  # the assignee and the reply's author


def test_a_canned_response_added_is_offered_at_once(tech_client):
    ticket_page(tech_client, TicketFactory(number=7004).number)
    CannedResponse.objects.create(title="Projector bulbs", body="Bulbs are ordered through your principal.")
    assert "Projector bulbs" in ticket_page(tech_client, 7004)


def test_a_testing_window_added_shows_its_banner_on_the_next_page(client):
    assert "testing-banner" not in client.get("/").content.decode()
    now = timezone.now()
    window = TestingWindow.objects.create(name="Spring state testing", starts_at=now, ends_at=now + timedelta(days=2))
    assert "Spring state testing is on" in client.get("/").content.decode()
    window.delete()
    assert "testing-banner" not in client.get("/").content.decode()


def test_a_cache_that_does_not_answer_means_reading_the_database(monkeypatch, technician):
    SchoolFactory(name="Eureka Elementary")

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    assert "Eureka Elementary" in schools_kept().names.values()
    assert technician.pk in technicians_kept().names


def test_after_the_cache_fails_pages_read_the_database_without_asking_it_again(monkeypatch, technician):
    calls = []

    def down(*args, **kwargs):
        calls.append(args)
        raise ConnectionError("Redis hangs")

    monkeypatch.setattr(cache, "get", down)
    schools_kept()
    schools_kept()
    assert len(calls) == 1  # the second page did not wait on the cache again
