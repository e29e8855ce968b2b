"""My notifications, the ticket page's "Who will be emailed", and who covers each school on the queue."""

import re

import pytest

from alerts.models import AlertPreference, Delivery, Kind
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


def test_a_technician_chooses_how_each_alert_reaches_them(client, two_schools):
    client.force_login(two_schools["ana"])
    page = client.get("/alerts/my/").content.decode()
    assert "A requester replied on my ticket" in page and "always emailed at once" in page
    assert "Someone @mentioned me" not in page  # not a choice
    choices = {kind: Delivery.AT_ONCE for kind in ("new_ticket", "urgent", "assigned", "outage")}
    response = client.post("/alerts/my/", {**choices, "requester_replied": Delivery.DIGEST, "mention": "off"})
    assert response.status_code == 302
    saved = dict(AlertPreference.objects.filter(user=two_schools["ana"]).values_list("kind", "delivery"))
    assert saved["requester_replied"] == Delivery.DIGEST and Kind.MENTION not in saved
    shown = client.get("/alerts/my/").content.decode()
    assert re.search(r'<input type="radio" name="requester_replied" value="digest"[^>]*checked', shown)


def test_my_notifications_is_for_technicians_only(client, django_user_model):
    assert client.get("/alerts/my/").status_code == 302
    client.force_login(django_user_model.objects.create_user("visitor"))
    assert client.get("/alerts/my/").status_code == 403


def test_the_ticket_page_says_who_will_be_emailed(client, two_schools):
    ticket = TicketFactory(school=two_schools["a"], requester_email="pat.lee@northpanolaschools.org")
    client.force_login(two_schools["ana"])
    page = client.get(f"/queue/{ticket.number}/").content.decode()
    assert "Who will be emailed" in page
    assert "the requester, pat.lee@northpanolaschools.org." in page
    assert "Ana Ames (at once in school hours), Ben Bird (at once in school hours)" in page


def test_schools_to_visit_names_who_covers_each_school(client, two_schools):
    TicketFactory(school=two_schools["a"])
    TicketFactory(school=two_schools["b"])
    client.force_login(two_schools["ana"])
    page = client.get("/queue/").content.decode()
    assert "Covered by Ana Ames, Ben Bird" in page and "Covered by Bo Boyd" in page
