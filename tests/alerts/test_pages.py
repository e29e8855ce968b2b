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


def test_the_targets_report_shows_the_share_met_by_school_type_and_priority_with_csv(client, two_schools):
    import time_machine

    from tests.alerts.helpers import chicago
    from tickets.services import ticket_create, ticket_reply

    ana = two_schools["ana"]
    with time_machine.travel(chicago(2026, 11, 11, 9, 0), tick=False) as clock:
        fields = {"requester_email": "pat.lee@northpanolaschools.org", "classroom": "1", "priority": 4}
        fast = ticket_create(subject="Fast", school=two_schools["a"], description="Answered in time.", **fields)
        slow = ticket_create(subject="Slow", school=two_schools["a"], description="Answered too late.", **fields)
        clock.move_to(chicago(2026, 11, 11, 9, 30))
        ticket_reply(acting_user=ana, ticket=fast, body="On it.")
        clock.move_to(chicago(2026, 11, 11, 11, 0))
        ticket_reply(acting_user=ana, ticket=slow, body="Sorry for the wait.")
        client.force_login(ana)
        page = client.get("/alerts/targets/", {"start": "2026-11-01", "end": "2026-11-30"}).content.decode()
        response = client.get("/alerts/targets/", {"start": "2026-11-01", "end": "2026-11-30", "format": "csv"})
    assert '<th scope="row">Green Hill Elementary School</th><td>1</td><td>1</td><td>50%</td>' in page
    assert '<th scope="row">Urgent</th><td>1</td><td>1</td><td>50%</td>' in page
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("By,Name,First reply met")
    assert "School,Green Hill Elementary School,1,1,50%,0,0,—" in lines


def test_the_preview_follows_a_changed_choice_or_coverage_at_once(two_schools):
    from alerts.selectors import notify_preview

    ticket = TicketFactory(school=two_schools["a"])

    def emailed():
        return sorted(r.user.email for r in notify_preview(ticket=ticket, acting_user=None).requester_answer)

    assert emailed() == ["ana@northpanolaschools.org", "ben@northpanolaschools.org"]
    AlertPreference.objects.create(user=two_schools["ben"], kind=Kind.REQUESTER_REPLIED, delivery=Delivery.OFF)
    assert emailed() == ["ana@northpanolaschools.org"]
    two_schools["a"].technicians.remove(two_schools["ana"])
    assert emailed() == []  # only Ben covers it now, and he switched it off
