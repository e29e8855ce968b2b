"""The queue's rows, written in Python, say what the template said: links, escaping, urgency, age and assignee."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketFactory
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def row_of(html: str, number: int) -> str:
    start = html.index(f'<a href="/queue/{number}/">')
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_each_row_links_escapes_and_marks_urgent_and_old_work(tech_client, technician):
    urgent = TicketFactory(number=7001, priority=Ticket.Priority.URGENT, subject="<b>Smartboard</b> & projector")
    old = TicketFactory(number=7002, assignee=technician, ticket_type=None)
    Ticket.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=9))
    html = tech_client.get(reverse("tickets:queue")).content.decode()

    urgent_row = row_of(html, 7001)
    assert 'class="table-danger"' in urgent_row and "<strong>Urgent</strong>" in urgent_row
    assert "&lt;b&gt;Smartboard&lt;/b&gt; &amp; projector" in urgent_row and "<b>" not in urgent_row
    assert f'value="{urgent.pk}" id="pick-{urgent.pk}" aria-label="Select ticket #7001"' in urgent_row
    assert "Unassigned" in urgent_row and "0 min" in urgent_row

    old_row = row_of(html, 7002)
    assert 'class="table-warning"' in old_row and "9 d" in old_row and 'text-bg-warning">old</span>' in old_row
    assert "Casey Jones" in old_row and "<td>—</td>" in old_row  # assignee's name; no type
    assert "<time datetime=" in old_row


def test_an_empty_page_says_how_to_see_all_open_work(tech_client):
    html = tech_client.get(reverse("tickets:queue"), {"q": "nothing matches this"}).content.decode()
    assert "No tickets match these filters." in html
