"""The ticket page reads its ticket, timeline and user with ordinary querysets: one query each, nothing hidden after,
and the Technicians group asked on every request under the name settings give at that moment."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devices.models import Device
from tests.factories import SchoolFactory, TechnicianFactory, TicketFactory
from tickets.backends import user_for_session
from tickets.models import Attachment
from tickets.reference import technicians_kept
from tickets.selectors import ticket_for_technician, ticket_timeline
from tickets.services import ticket_note_add, ticket_reply

pytestmark = pytest.mark.django_db


def test_each_call_reads_its_own_row():
    first, second = TicketFactory(number=8101), TicketFactory(number=8102)
    assert ticket_for_technician(number=8101).pk == first.pk
    assert ticket_for_technician(number=8102).pk == second.pk
    assert ticket_for_technician(number=8103) is None
    assert ticket_for_technician(number=10**30) is None  # any digits reach the URL: no server error
    assert ticket_for_technician(number=8101).has_attachments is False


def test_the_flags_say_what_the_ticket_has():
    ticket = TicketFactory(number=8105)
    TicketFactory(merged_into=ticket)
    Attachment.objects.create(ticket=ticket, file="attachments/photo.png", original_name="photo.png", size=3)
    loaded = ticket_for_technician(number=8105)
    assert (loaded.has_attachments, loaded.has_merged_tickets, loaded.has_held_email) == (True, True, False)


def test_the_ticket_is_read_in_one_query_with_its_device(technician):
    school = SchoolFactory(name="Pope School")
    device = Device.objects.create(asset_tag="NP-8106", kind=Device.Kind.CHROMEBOOK, school=school)
    TicketFactory(number=8106, assignee=technician, device=device)
    with CaptureQueriesContext(connection) as loading:
        ticket = ticket_for_technician(number=8106)
    with CaptureQueriesContext(connection) as reading:
        tag = ticket.device.asset_tag
    assert len(loading.captured_queries) == 1
    assert len(reading.captured_queries) == 0, "reading the device ran a hidden query"
    assert tag == "NP-8106"


def test_the_page_names_school_type_assignee_and_device_school_from_the_kept_tables(tech_client, technician):
    """Joining them made PostgreSQL plan five joins on every page; the kept tables answer with no query at all."""
    school = SchoolFactory(name="Pope School")
    device = Device.objects.create(asset_tag="NP-8108", kind=Device.Kind.CHROMEBOOK, school=school)
    ticket = TicketFactory(number=8108, assignee=technician, device=device, school=SchoolFactory(name="Como School"))
    url = reverse("tickets:detail", args=[8108])
    tech_client.get(url)  # fills the kept tables
    with CaptureQueriesContext(connection) as reading:
        page = tech_client.get(url).content.decode()
    read = " ".join(query["sql"] for query in reading.captured_queries)
    assert '"tickets_school"' not in read and '"tickets_tickettype"' not in read
    assert "Como School, " in page and "Pope School" in page and ticket.ticket_type.name in page
    assert "Casey Jones" in page


def test_a_former_technician_still_named_as_assignee(tech_client):
    former = TechnicianFactory(username="former", first_name="Jordan", last_name="Reed")
    TicketFactory(number=8109, assignee=former)
    former.groups.clear()  # no longer among the kept technicians
    assert "Jordan Reed" in tech_client.get(reverse("tickets:detail", args=[8109])).content.decode()


def test_the_timeline_names_every_author_in_at_most_two_queries(technician):
    ticket = TicketFactory(number=8107)
    former = TechnicianFactory(username="former", first_name="Jordan", last_name="Reed")
    ticket_reply(acting_user=technician, ticket=ticket, body="I will stop by this afternoon.")
    ticket_note_add(acting_user=former, ticket=ticket, body="Waiting on a part.")
    former.groups.clear()  # no longer a technician: not among the kept names
    ticket = ticket_for_technician(number=8107)
    technicians_kept()
    with CaptureQueriesContext(connection) as reading:
        events = ticket_timeline(ticket=ticket)
        authors = [(event.author_name, event.ticket.number) for event in events]
    assert len(reading.captured_queries) == 2  # the events, and the one author the kept names lack
    assert ("Casey Jones", 8107) in authors and ("Jordan Reed", 8107) in authors


def test_the_request_user_knows_its_group_in_one_query(technician, settings):
    with CaptureQueriesContext(connection) as reading:
        user = user_for_session(technician.pk)
    assert len(reading.captured_queries) == 1 and user.in_technicians_group is True
    settings.HELPDESK_TECHNICIANS_GROUP = "Field technicians"  # read on each call, not frozen at the first
    assert user_for_session(technician.pk).in_technicians_group is False


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
