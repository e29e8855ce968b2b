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


def test_rows_signal_a_requester_reply_waiting_and_new_tickets(tech_client, technician):
    from tickets.services import ticket_reply, ticket_requester_reply_add

    replied = TicketFactory(number=7101)
    ticket_reply(acting_user=technician, ticket=replied, body="Is it plugged in?")
    ticket_requester_reply_add(ticket=replied, body="Yes, it is.")
    answered = TicketFactory(number=7102)
    ticket_requester_reply_add(ticket=answered, body="One more thing.")
    ticket_reply(acting_user=technician, ticket=answered, body="Thanks, on my way.")
    waiting = TicketFactory(number=7103, status=Ticket.Status.WAITING)
    Ticket.objects.filter(pk=waiting.pk).update(first_response_at=timezone.now())
    TicketFactory(number=7104)
    html = tech_client.get(reverse("tickets:queue")).content.decode()

    assert "Requester replied" in row_of(html, 7101) and ">New<" not in row_of(html, 7101)
    assert "Requester replied" not in row_of(html, 7102)
    assert "Waiting on requester" in row_of(html, 7103) and ">New<" not in row_of(html, 7103)
    assert ">New<" in row_of(html, 7104) and "Requester replied" not in row_of(html, 7104)
