"""Add to ticket from a browser not signed in as the requester: nothing is added until the requester confirms."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from district.storage import attachment_storage
from tests.factories import TicketFactory
from tests.files import png_bytes, upload
from tickets.models import PendingAddition, Ticket, TicketEvent
from tickets.services import pending_additions_expire

pytestmark = pytest.mark.django_db
PAT = "pat.lee@northpanolaschools.org"
SUBMIT = "/tickets/new/"


@pytest.fixture
def open_ticket(district_defaults):
    return TicketFactory(number=4001, requester_email=PAT, subject="Projector in room 12 will not turn on")


def stranger_adds(client, ticket_fields, django_capture_on_commit_callbacks, **extra):
    data = {**ticket_fields, "requester_email": PAT, "duplicate_choice": "add:4001", **extra}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(SUBMIT, data)


def confirm_path(mailoutbox) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/tickets/add/[^/\s]+/)", mailoutbox[-1].body).group(1)


def test_stranger_add_changes_nothing_and_emails_the_requester(
    client, ticket_fields, open_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    response = stranger_adds(
        client, ticket_fields, django_capture_on_commit_callbacks, attachments=[upload("photo.png", png_bytes())]
    )
    assert response["Location"] == f"/tickets/addition-requested/{open_ticket.public_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "We emailed you a link to confirm" in page and "Nothing has been added yet" in page
    assert not open_ticket.events.exists() and not open_ticket.attachments.exists()

    [email] = mailoutbox
    assert email.to == [PAT]
    assert "Someone asked to add this to your ticket #4001" in email.body
    assert ticket_fields["description"] in email.body and "photo.png" in email.body
    addition = PendingAddition.objects.get()
    assert attachment_storage().exists(addition.files[0]["path"])


def test_opening_the_link_adds_nothing_and_the_button_adds_it(
    client, ticket_fields, open_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    stranger_adds(
        client, ticket_fields, django_capture_on_commit_callbacks, attachments=[upload("photo.png", png_bytes())]
    )
    path = confirm_path(mailoutbox)
    owner = client.__class__()
    page = owner.get(path).content.decode()  # a mail scanner opening the link
    assert "Add it to ticket #4001" in page and ticket_fields["description"] in page and "photo.png" in page
    assert not open_ticket.events.exists()

    stored = PendingAddition.objects.get().files[0]["path"]
    with django_capture_on_commit_callbacks(execute=True):
        done = owner.post(path, {"action": "add"}).content.decode()
    assert "We added this to ticket #4001" in done
    event = open_ticket.events.get(kind=TicketEvent.Kind.REQUESTER_REPLY)
    assert ticket_fields["description"] in event.body
    assert open_ticket.attachments.get().original_name == "photo.png"
    assert not PendingAddition.objects.exists() and not attachment_storage().exists(stored)
    assert owner.post(path, {"action": "add"}).status_code == 410  # used once
    assert open_ticket.events.count() == 1


def test_ignoring_removes_it(client, ticket_fields, open_ticket, mailoutbox, django_capture_on_commit_callbacks):
    stranger_adds(client, ticket_fields, django_capture_on_commit_callbacks)
    path = confirm_path(mailoutbox)
    assert "Nothing was added" in client.post(path, {"action": "ignore"}).content.decode()
    assert not PendingAddition.objects.exists() and not open_ticket.events.exists()
    assert client.get(path).status_code == 410


def test_signed_in_requester_adds_at_once(client, ticket_fields, open_ticket, django_capture_on_commit_callbacks):
    session = client.session
    session["requester_email"] = PAT
    session.save()
    response = stranger_adds(client, ticket_fields, django_capture_on_commit_callbacks)
    assert response["Location"] == f"/tickets/added/{open_ticket.public_id}/"
    assert open_ticket.events.filter(kind=TicketEvent.Kind.REQUESTER_REPLY).exists()
    assert not PendingAddition.objects.exists()


def test_a_ticket_link_verifies_that_one_ticket_only(
    client, ticket_fields, open_ticket, django_capture_on_commit_callbacks
):
    """A receipt's link lets the browser add at once to its own ticket; another open ticket still needs confirming."""
    TicketFactory(number=4002, requester_email=PAT, subject="Printer jams")
    session = client.session
    session["requester_ticket_ids"] = [str(open_ticket.public_id)]
    session.save()
    content = client.post(SUBMIT, {**ticket_fields, "requester_email": PAT}).content.decode()
    assert ": Projector in room 12 will not turn on</span>" in content and "Printer jams" not in content
    stranger_adds(client, ticket_fields, django_capture_on_commit_callbacks)
    assert open_ticket.events.count() == 1 and not PendingAddition.objects.exists()
    stranger_adds(client, ticket_fields, django_capture_on_commit_callbacks, duplicate_choice="add:4002")
    assert PendingAddition.objects.get().ticket.number == 4002


def test_unconfirmed_additions_expire_with_their_files(
    client, ticket_fields, open_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    stranger_adds(
        client, ticket_fields, django_capture_on_commit_callbacks, attachments=[upload("photo.png", png_bytes())]
    )
    path = confirm_path(mailoutbox)
    stored = PendingAddition.objects.get().files[0]["path"]
    assert pending_additions_expire(now=timezone.now() + timedelta(days=2)) == 0
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        assert client.get(path).status_code == 410
        assert pending_additions_expire() == 1
    assert not PendingAddition.objects.exists() and not attachment_storage().exists(stored)
    assert Ticket.objects.get().events.count() == 0


def test_no_confirmation_for_a_closed_ticket(
    client, ticket_fields, open_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    stranger_adds(client, ticket_fields, django_capture_on_commit_callbacks)
    Ticket.objects.filter(pk=open_ticket.pk).update(status=Ticket.Status.CLOSED)
    page = client.post(confirm_path(mailoutbox), {"action": "add"}).content.decode()
    assert "is closed, so this cannot be added" in page and not open_ticket.events.exists()


def test_a_stranger_cannot_flood_the_requesters_mailbox(
    client, ticket_fields, open_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(3):
        stranger_adds(client, ticket_fields, django_capture_on_commit_callbacks)
    response = stranger_adds(client, ticket_fields, django_capture_on_commit_callbacks)
    assert response.status_code == 429 and "are already waiting" in response.content.decode()
    assert PendingAddition.objects.count() == 3 and len(mailoutbox) == 3 and not open_ticket.events.exists()


def test_signed_in_as_another_address_still_needs_the_requesters_confirmation(
    client, ticket_fields, open_ticket, django_capture_on_commit_callbacks
):
    session = client.session
    session["requester_email"] = "someone.else@northpanolaschools.org"
    session.save()
    response = stranger_adds(client, ticket_fields, django_capture_on_commit_callbacks)
    assert response["Location"] == f"/tickets/addition-requested/{open_ticket.public_id}/"
    assert not open_ticket.events.exists() and PendingAddition.objects.count() == 1
