import re

import pytest
from django.urls import reverse

from tests.factories import TicketFactory
from tests.files import png_bytes, upload
from tickets.models import Ticket, TicketEvent
from tickets.selectors import requester_open_tickets_ranked

pytestmark = pytest.mark.django_db
PAT = "pat.lee@northpanolaschools.org"
SUBMIT = "/tickets/new/"


@pytest.fixture
def open_ticket(district_defaults):
    return TicketFactory(number=4001, requester_email=PAT, subject="Projector in room 12 will not turn on")


def test_open_tickets_are_shown_before_anything_is_created(client, ticket_fields, open_ticket):
    response = client.post(
        SUBMIT, {**ticket_fields, "requester_email": PAT, "attachments": [upload("a.png", png_bytes())]}
    )
    content = response.content.decode()
    assert Ticket.objects.count() == 1
    assert "You already have 1 open ticket" in content and "<strong>#4001</strong></span>" in content
    assert "Add to ticket #4001" in content and "Submit a new ticket anyway" in content
    # Only the number for a browser not signed in as the requester: no subject, no date.
    assert "Projector in room 12 will not turn on</span>" not in content and "opened" not in content
    assert re.search(r'name="pending_uploads" value="[^"]+"', content)  # the chosen file is kept
    assert 'value="Projector in room 12 will not turn on"' in content  # what was typed is kept in the form


def test_signed_in_requester_sees_subjects(client, ticket_fields, open_ticket):
    session = client.session
    session["requester_email"] = PAT
    session.save()
    content = client.post(SUBMIT, {**ticket_fields, "requester_email": PAT}).content.decode()
    assert ": Projector in room 12 will not turn on</span>" in content
    assert f"#4001</strong>, opened {open_ticket.created_at:%B} " in content


def test_signed_in_as_another_address_sees_only_numbers(client, ticket_fields, open_ticket):
    """The verified identity does not carry over to an address typed differently."""
    session = client.session
    session["requester_email"] = "someone.else@northpanolaschools.org"
    session.save()
    content = client.post(SUBMIT, {**ticket_fields, "requester_email": PAT}).content.decode()
    assert "<strong>#4001</strong></span>" in content and "Projector in room 12 will not turn on</span>" not in content


def test_add_to_ticket_puts_text_and_files_on_it(
    client, ticket_fields, open_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    """A browser signed in as the requester adds at once."""
    session = client.session
    session["requester_email"] = PAT
    session.save()
    first = client.post(
        SUBMIT, {**ticket_fields, "requester_email": PAT, "attachments": [upload("a.png", png_bytes())]}
    )
    token = re.search(r'name="pending_uploads" value="([^"]+)"', first.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SUBMIT, {**ticket_fields, "requester_email": PAT, "pending_uploads": token, "duplicate_choice": "add:4001"}
        )
    assert response["Location"] == reverse("tickets:added", kwargs={"public_id": open_ticket.public_id})
    assert Ticket.objects.count() == 1
    event = open_ticket.events.get(kind=TicketEvent.Kind.REQUESTER_REPLY)
    assert ticket_fields["description"] in event.body
    assert open_ticket.attachments.get().original_name == "a.png"
    assert mailoutbox[-1].subject == "[Ticket #4001] We added your information"
    assert "We added this to ticket #4001" in client.get(response["Location"]).content.decode()


def test_submit_new_anyway_links_the_possible_duplicate(client, ticket_fields, open_ticket, technician):
    response = client.post(SUBMIT, {**ticket_fields, "requester_email": PAT, "duplicate_choice": "new"})
    new = Ticket.objects.exclude(pk=open_ticket.pk).get()
    assert response["Location"] == reverse("tickets:submitted", kwargs={"public_id": new.public_id})
    assert new.possible_duplicate_of == open_ticket
    client.force_login(technician)
    page = client.get(reverse("tickets:detail", args=[new.number])).content.decode()
    assert "Possible duplicate of" in page and "Merge into #4001" in page


def test_a_choice_naming_someone_elses_ticket_adds_nothing(client, ticket_fields, open_ticket):
    other = TicketFactory(number=4002, requester_email="someone@northpanolaschools.org")
    response = client.post(SUBMIT, {**ticket_fields, "requester_email": PAT, "duplicate_choice": "add:4002"})
    assert response.status_code == 200 and "Add to ticket #4001" in response.content.decode()
    assert not other.events.exists() and Ticket.objects.count() == 2


def test_requester_without_open_tickets_goes_straight_through(client, ticket_fields, district_defaults):
    TicketFactory(requester_email=PAT, status=Ticket.Status.CLOSED)
    response = client.post(SUBMIT, {**ticket_fields, "requester_email": PAT})
    assert response.status_code == 302 and Ticket.objects.count() == 2


def test_likeliest_duplicate_comes_first(district_defaults):
    TicketFactory(number=4101, requester_email=PAT, subject="Email will not sync", description="Outlook says offline.")
    TicketFactory(
        number=4102, requester_email=PAT, subject="Projector will not turn on", description="Blue light blinks."
    )
    TicketFactory(number=4103, requester_email=PAT, subject="New keyboard", description="Keys stick.")
    ranked = requester_open_tickets_ranked(
        email=PAT, subject="Projector does not turn on", description="The blue light keeps blinking."
    )
    assert [ticket.number for ticket in ranked][0] == 4102


def test_an_overridden_rule_stays_overridden_through_the_duplicate_choice(client, ticket_fields, open_ticket):
    """'My request is different' answered before the duplicates step is not asked again after it."""
    data = {
        **ticket_fields,
        "requester_email": PAT,
        "subject": "SAM gradebook shows the wrong class",
        "description": "Not a password question: the SAM gradebook on the classroom PC shows another class.",
    }
    first = client.post(SUBMIT, data)
    rule_id = re.search(r'name="routing_rule_seen" value="(\d+)"', first.content.decode()).group(1)
    second = client.post(SUBMIT, {**data, "routing_override": "on", "routing_rule_seen": rule_id})
    assert "Add to ticket #4001" in second.content.decode()
    carried = dict(re.findall(r'<input type="hidden" name="(routing_\w+)" value="([^"]+)">', second.content.decode()))
    assert carried["routing_rule_seen"] == rule_id and carried["routing_override"] == "on"
    client.post(SUBMIT, {**data, **carried, "duplicate_choice": "new"})
    new = Ticket.objects.exclude(pk=open_ticket.pk).get()
    assert new.overridden_rule_id == int(rule_id) and new.possible_duplicate_of == open_ticket


def test_adding_to_someone_elses_ticket_never_opens_its_confirmation_page(client, ticket_fields, open_ticket):
    """Anyone can type anyone's address; the next page shows only the number, never the ticket's details."""
    response = client.post(SUBMIT, {**ticket_fields, "requester_email": PAT, "duplicate_choice": "add:4001"})
    added = client.get(response["Location"]).content.decode()
    assert "#4001" in added and open_ticket.description not in added and open_ticket.subject not in added
    assert "We emailed you a link to confirm" in added
    assert client.get(reverse("tickets:submitted", kwargs={"public_id": open_ticket.public_id})).status_code == 404


def test_the_browser_that_submitted_a_ticket_sees_its_subject_and_date_and_two_choices(
    client, ticket_fields, district_defaults
):
    first = client.post(SUBMIT, {**ticket_fields, "requester_email": PAT, "subject": "Board pen missing in 14"})
    assert first.status_code == 302
    mine = Ticket.objects.get()
    content = client.post(SUBMIT, {**ticket_fields, "requester_email": PAT}).content.decode()
    assert f"<strong>#{mine.number}</strong>, opened {mine.created_at:%B} " in content
    assert ": Board pen missing in 14</span>" in content
    # Two choices: add to it, or a new ticket anyway; no third Submit asking the same question again.
    assert "Add to ticket" in content and "Submit a new ticket anyway" in content
    assert 'id="ticket-submit"' not in content
    # Another browser typing the same address learns only the number.
    stranger = client.__class__().post(SUBMIT, {**ticket_fields, "requester_email": PAT}).content.decode()
    assert f"<strong>#{mine.number}</strong></span>" in stranger and "Board pen missing" not in stranger
