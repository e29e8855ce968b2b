"""Queries built once per process read the right rows, and the Technicians group is asked on every request."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from helpdesk.built_once import BuiltOnce
from tests.factories import TicketFactory
from tickets.models import Ticket
from tickets.selectors import ticket_for_technician

pytestmark = pytest.mark.django_db


def test_each_call_reads_its_own_row():
    first, second = TicketFactory(number=8101), TicketFactory(number=8102)
    assert ticket_for_technician(number=8101).pk == first.pk
    assert ticket_for_technician(number=8102).pk == second.pk
    assert ticket_for_technician(number=8103) is None
    assert ticket_for_technician(number=10**30) is None  # any digits reach the URL: no server error
    assert ticket_for_technician(number=8101).has_attachments is False


def test_a_query_whose_value_is_not_last_is_refused():
    moved = BuiltOnce(lambda number: Ticket.objects.filter(number=number, subject="x"))
    with pytest.raises(RuntimeError, match="not the last parameter"):
        moved.first(1)


def test_a_technician_removed_from_the_group_is_refused_on_the_next_request(tech_client, technician):
    TicketFactory(number=8104)
    assert tech_client.get(reverse("tickets:detail", args=[8104])).status_code == 200
    technician.groups.remove(Group.objects.get(name="Technicians"))
    assert tech_client.get(reverse("tickets:detail", args=[8104])).status_code == 403


def test_a_deactivated_technician_is_signed_out_on_the_next_request(tech_client, technician):
    technician.is_active = False
    technician.save()
    response = tech_client.get(reverse("tickets:queue"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
