"""After A (requester a) is merged into B (requester b), a's words reach technicians on B, never b."""

import re
import time
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.urls import reverse

from inbound.processing import inbound_email_process
from tests.composer import composer_post
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
        response = tech_client.post(
            f"/queue/{target.number}/compose/", composer_post(target, body="PRIVATE: lamp ordered", to=ALEX)
        )
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
        f"/queue/{target.number}/compose/", composer_post(target, body="hello", to="someone@northpanolaschools.org")
    )
    assert response.status_code == 400 and not target.events.filter(kind=TicketEvent.Kind.REPLY).exists()
    assert re.search(r"Select a valid choice", response.content.decode())


def test_closing_the_target_tells_each_merged_requester_the_resolution_once(
    technician, district_defaults, tech_client, smtp_server, django_capture_on_commit_callbacks
):
    """A's requester was told to follow B, which they cannot see: closing B must reach them, about their own A."""
    carl = "carl.ivy@northpanolaschools.org"
    a = TicketFactory(number=5101, requester_email=ALEX, subject="Projector dead in 12")
    b = TicketFactory(number=5102, requester_email=BRIDGET, subject="PRIVATE room 12 projector")
    c = TicketFactory(number=5103, requester_email=carl, subject="Projector in 12 again")
    again = TicketFactory(number=5104, requester_email=ALEX, subject="Projector still dead")
    with django_capture_on_commit_callbacks(execute=True):
        tech_client.post(reverse("tickets:merge", args=[a.number]), {"target_number": str(b.number), "confirm": "yes"})
        tech_client.post(
            reverse("tickets:merge", args=[again.number]), {"target_number": str(b.number), "confirm": "yes"}
        )
        # c was merged into a ticket that was then merged into b: c's requester waits on b too.
        d = TicketFactory(number=5105, requester_email=BRIDGET, subject="Room 12")
        tech_client.post(reverse("tickets:merge", args=[c.number]), {"target_number": str(d.number), "confirm": "yes"})
        tech_client.post(reverse("tickets:merge", args=[d.number]), {"target_number": str(b.number), "confirm": "yes"})
    smtp_server.wait_for(4)  # the four merge emails
    b.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = tech_client.post(
            reverse("tickets:close", args=[b.number]), {"resolution": "New lamp fitted.", "version": b.version}
        )
    assert response.status_code == 302
    closing = smtp_server.wait_for(7)[4:]
    by_person = {message["To"]: message for message in closing}
    assert sorted(by_person) == sorted([ALEX, BRIDGET, carl])  # one each: Alex's two tickets give one email
    assert by_person[BRIDGET]["Subject"] == "[Ticket #5102] Closed: PRIVATE room 12 projector"
    for person, own in ((ALEX, 5104), (carl, 5103)):
        message = by_person[person]
        text = message.get_body(("plain",)).get_content()
        assert message["Subject"].startswith(f"[Ticket #{own}] Resolved on ticket #5102")
        assert "New lamp fitted." in text and "PRIVATE" not in text and "PRIVATE" not in message["Subject"]
    time.sleep(0.3)
    assert len(smtp_server.messages) == 7  # nothing more: one email per person
