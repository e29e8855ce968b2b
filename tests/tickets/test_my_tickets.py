import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import TicketFactory
from tests.files import exe_bytes, png_bytes, upload
from tickets.links import ticket_link_token
from tickets.models import RequesterSignIn, Ticket, TicketEvent

pytestmark = pytest.mark.django_db
PAT = "pat.lee@northpanolaschools.org"


def sign_in_link(mailoutbox) -> str:
    body = mailoutbox[-1].body
    return re.search(r"http://127\.0\.0\.1:8000(/my/sign-in/[^/\s]+/)", body).group(1)


def request_link(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/my/", {"email": email}, follow=True)


def test_sign_in_link_flow(client, mailoutbox, django_capture_on_commit_callbacks):
    mine = TicketFactory(number=2100, requester_email=PAT, subject="My printer")
    TicketFactory(number=2101, requester_email="someone@northpanolaschools.org", subject="Their projector")
    response = request_link(client, " Pat.Lee@NorthPanolaSchools.org ", django_capture_on_commit_callbacks)
    assert "a sign-in link is on its way" in response.content.decode()
    path = sign_in_link(mailoutbox)

    assert "Sign in" in client.get(path).content.decode()  # opening the link spends nothing
    assert client.post(path)["Location"] == "/my/"
    page = client.get("/my/").content.decode()
    assert "#2100" in page and "My printer" in page and "#2101" not in page and "Their projector" not in page
    assert client.get(f"/my/tickets/{mine.public_id}/").status_code == 200

    client.post("/my/sign-out/")
    assert client.post(path).status_code == 410  # single use


def test_same_answer_whether_or_not_the_address_has_tickets(client, mailoutbox, django_capture_on_commit_callbacks):
    TicketFactory(requester_email=PAT)
    with_tickets = request_link(client, PAT, django_capture_on_commit_callbacks).content.decode()
    without = request_link(
        client, "new.teacher@northpanolaschools.org", django_capture_on_commit_callbacks
    ).content.decode()
    assert with_tickets.replace(PAT, "X") == without.replace("new.teacher@northpanolaschools.org", "X")
    assert "We have no tickets from this address yet" in mailoutbox[-1].body


def test_sign_in_link_expires_after_15_minutes(client, mailoutbox, django_capture_on_commit_callbacks):
    request_link(client, PAT, django_capture_on_commit_callbacks)
    path = sign_in_link(mailoutbox)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert client.post(path).status_code == 410


def test_sign_in_requests_are_rate_limited(client, mailoutbox, django_capture_on_commit_callbacks):
    for _ in range(5):
        response = request_link(client, PAT, django_capture_on_commit_callbacks)
        assert "a sign-in link is on its way" in response.content.decode()
    assert RequesterSignIn.objects.filter(email=PAT).count() == 3 and len(mailoutbox) == 3


def test_only_district_addresses_get_links(client, mailoutbox, django_capture_on_commit_callbacks):
    response = request_link(client, "pat.lee@gmail.com", django_capture_on_commit_callbacks)
    assert "Use your district email address" in response.content.decode() and mailoutbox == []


def test_nobody_sees_another_persons_ticket(client):
    theirs = TicketFactory(requester_email="someone@northpanolaschools.org")
    mine = TicketFactory(requester_email=PAT)
    assert client.get(f"/my/tickets/{theirs.public_id}/")["Location"] == "/my/"  # not signed in
    client.post(f"/my/link/{ticket_link_token(mine)}/")
    assert client.get(f"/my/tickets/{mine.public_id}/").status_code == 200
    assert client.get(f"/my/tickets/{theirs.public_id}/").status_code == 404
    assert client.post(f"/my/tickets/{theirs.public_id}/", {"body": "sneaky"}).status_code == 404
    assert not theirs.events.exists()


def test_receipt_link_signs_the_requester_into_that_ticket(
    client, ticket_fields, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/tickets/new/", {**ticket_fields, "requester_email": PAT})
    client.cookies.clear()
    path = re.search(r"http://127\.0\.0\.1:8000(/my/link/\S+/)", mailoutbox[0].body).group(1)
    ticket = Ticket.objects.get()
    assert client.post(path)["Location"] == f"/my/tickets/{ticket.public_id}/"
    assert ticket.subject in client.get(f"/my/tickets/{ticket.public_id}/").content.decode()


# In school hours (a Wednesday, 10:00 in the district): outside them the alert waits for the morning digest.
@time_machine.travel("2026-11-11 16:00 +0000", tick=False)
def test_add_information_notifies_the_assignee(client, technician, mailoutbox, django_capture_on_commit_callbacks):
    technician.email = "casey.jones@northpanolaschools.org"
    technician.save()
    ticket = TicketFactory(requester_email=PAT, assignee=technician)
    client.post(f"/my/link/{ticket_link_token(ticket)}/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/my/tickets/{ticket.public_id}/",
            {"body": "It is room 14, not 12.", "attachments": [upload("a.png", png_bytes())]},
        )
    assert response.status_code == 302
    event = ticket.events.get(kind=TicketEvent.Kind.REQUESTER_REPLY)
    assert event.body == "It is room 14, not 12." and ticket.attachments.get().original_name == "a.png"
    assert mailoutbox[-1].to == ["casey.jones@northpanolaschools.org"]
    assert "We added your information" in client.get(f"/my/tickets/{ticket.public_id}/").content.decode()


def test_add_information_uses_the_form_limits(client):
    ticket = TicketFactory(requester_email=PAT)
    client.post(f"/my/link/{ticket_link_token(ticket)}/")
    response = client.post(
        f"/my/tickets/{ticket.public_id}/", {"body": "See file", "attachments": [upload("x.pdf", exe_bytes())]}
    )
    assert "“x.pdf” is not a type of file we accept." in response.content.decode()
    assert 'value="See file"' in response.content.decode() or "See file</textarea>" in response.content.decode()
    assert not ticket.events.exists()


def test_internal_notes_never_reach_the_requester(client, technician):
    from tickets.services import ticket_note_add, ticket_reply

    ticket = TicketFactory(requester_email=PAT)
    ticket_note_add(acting_user=technician, ticket=ticket, body="Secret fuser note")
    ticket_reply(acting_user=technician, ticket=ticket, body="Coming at 2")
    client.post(f"/my/link/{ticket_link_token(ticket)}/")
    page = client.get(f"/my/tickets/{ticket.public_id}/").content.decode()
    assert "Coming at 2" in page and "Secret fuser note" not in page


def test_merged_replies_from_another_requester_stay_hidden(client, technician):
    from tickets.services import ticket_reply, tickets_merge

    mine = TicketFactory(requester_email=PAT)
    theirs = TicketFactory(requester_email="someone@northpanolaschools.org")
    ticket_reply(acting_user=technician, ticket=theirs, body="PRIVATE: your temporary password is X")
    tickets_merge(acting_user=technician, source=theirs, target=mine)
    client.post(f"/my/link/{ticket_link_token(mine)}/")
    assert "PRIVATE" not in client.get(f"/my/tickets/{mine.public_id}/").content.decode()


@pytest.mark.parametrize(
    "address", ["a@northpanolaschools.org\nBcc: x@example.com", "evil@example.com, x@northpanolaschools.org"]
)
def test_sign_in_refuses_anything_but_one_address(client, mailoutbox, django_capture_on_commit_callbacks, address):
    response = request_link(client, address, django_capture_on_commit_callbacks)
    assert "a sign-in link is on its way" not in response.content.decode()
    assert RequesterSignIn.objects.count() == 0 and mailoutbox == []


def test_one_ip_cannot_send_links_to_many_addresses(client, mailoutbox, django_capture_on_commit_callbacks):
    """60 an hour from one address: a whole school's staff can sign in, a script cannot flood mailboxes."""
    for n in range(65):
        request_link(client, f"teacher{n}@northpanolaschools.org", django_capture_on_commit_callbacks)
    assert RequesterSignIn.objects.count() == 60 and len(mailoutbox) == 60


def test_a_signed_in_requester_is_not_a_technician(client):
    ticket = TicketFactory(requester_email=PAT)
    client.post(f"/my/link/{ticket_link_token(ticket)}/")
    for url in ["/queue/", f"/queue/{ticket.number}/", "/reports/", "/queue/export.csv"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
