"""After A (requester a) is merged into B (requester b), a's words reach technicians on B, never b."""

import re
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from inbound.processing import inbound_email_process
from tests.factories import TicketFactory
from tickets.links import ticket_link_token
from tickets.models import TicketEvent
from tickets.services import tickets_merge

pytestmark = pytest.mark.django_db
ALEX = "alex.reed@northpanolaschools.org"
BRIDGET = "bridget.cole@northpanolaschools.org"


@pytest.fixture
def merged(technician, district_defaults):
    source = TicketFactory(number=5001, requester_email=ALEX, subject="Projector dead in 12")
    target = TicketFactory(number=5002, requester_email=BRIDGET, subject="Room 12 projector")
    tickets_merge(acting_user=technician, source=source, target=target)
    return source, target


def email_from(sender: str, *, number: int, body: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"] = sender, "helpdesk@northpanolaschools.org"
    message["Subject"], message["Message-ID"] = f"Re: [Ticket #{number}] Projector", make_msgid(domain="example.org")
    message.set_content(body)
    return bytes(message)


def open_as_requester(client, ticket) -> str:
    client.post(f"/my/link/{ticket_link_token(ticket)}/")
    return client.get(f"/my/tickets/{ticket.public_id}/").content.decode()


def test_email_reply_from_the_merged_requester_is_an_internal_note_marked_with_the_sender(merged, client):
    source, target = merged
    inbound_email_process(raw=email_from(ALEX, number=5001, body="PRIVATE: my room code is 4471"))
    note = target.events.get(correspondent=ALEX)
    assert note.kind == TicketEvent.Kind.NOTE and not note.is_public and "PRIVATE" in note.body
    assert "PRIVATE" not in open_as_requester(client, target)


def test_my_tickets_addition_on_the_merged_ticket_is_an_internal_note(merged, client):
    source, target = merged
    page = open_as_requester(client, source)
    assert "Add information" in page and "joined with another ticket" in page and target.subject not in page
    client.post(f"/my/tickets/{source.public_id}/", {"body": "PRIVATE: the spare is in the closet"})
    note = target.events.get(correspondent=ALEX)
    assert note.kind == TicketEvent.Kind.NOTE and "PRIVATE" in note.body
    other = client.__class__()
    assert "PRIVATE" not in open_as_requester(other, target)


def test_technician_replies_to_the_merged_requester_from_the_ticket_page(
    merged, tech_client, client, mailoutbox, django_capture_on_commit_callbacks
):
    source, target = merged
    page = tech_client.get(f"/queue/{target.number}/").content.decode()
    assert f'<option value="{ALEX}">' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = tech_client.post(f"/queue/{target.number}/reply/", {"body": "PRIVATE: lamp ordered", "to": ALEX})
    assert response.status_code == 302
    email = mailoutbox[-1]
    assert email.to == [ALEX] and "[Ticket #5001]" in email.subject and target.subject not in email.body
    event = target.events.get(kind=TicketEvent.Kind.REPLY)
    assert event.correspondent == ALEX and not event.is_public
    timeline = tech_client.get(f"/queue/{target.number}/").content.decode()
    assert f"Reply to {ALEX}" in timeline
    assert "PRIVATE" not in open_as_requester(client, target)
    # Replying to that email lands on B as a note again, not on b's view.
    inbound_email_process(raw=email_from(ALEX, number=5001, body="Thanks, PRIVATE again"))
    assert target.events.filter(kind=TicketEvent.Kind.NOTE, correspondent=ALEX).count() == 1


def test_a_reply_to_someone_unrelated_is_refused(merged, tech_client, mailoutbox):
    _, target = merged
    response = tech_client.post(
        f"/queue/{target.number}/reply/", {"body": "hello", "to": "someone@northpanolaschools.org"}
    )
    assert response.status_code == 400 and not target.events.filter(kind=TicketEvent.Kind.REPLY).exists()
    assert re.search(r"Select a valid choice", response.content.decode())
