import re

import pytest
from django.test import Client

from district.storage import attachment_storage
from tests.factories import TicketFactory
from tests.files import png_bytes, upload
from tickets.models import Ticket
from tickets.pending_uploads import FOLDER

pytestmark = pytest.mark.django_db
PAT = "pat.lee@northpanolaschools.org"
SUBMIT = "/tickets/new/"


def pending_files() -> list[str]:
    try:
        return sorted(attachment_storage().listdir(FOLDER)[1])
    except FileNotFoundError:
        return []


def kept_token(response) -> str:
    return re.search(r'name="pending_uploads" value="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def open_ticket(district_defaults):
    return TicketFactory(number=4001, requester_email=PAT)


def test_one_browser_keeps_one_pending_submissions_files(client, ticket_fields, open_ticket):
    """A second submission waiting at the duplicates step deletes the files the first one kept."""
    before = set(pending_files())
    first = client.post(
        SUBMIT, {**ticket_fields, "requester_email": PAT, "attachments": [upload("a.png", png_bytes())]}
    )
    first_files = set(pending_files()) - before
    assert len(first_files) == 1

    second = client.post(
        SUBMIT, {**ticket_fields, "requester_email": PAT, "attachments": [upload("b.png", png_bytes())]}
    )
    assert not first_files & set(pending_files())  # the first set is gone
    assert len(set(pending_files()) - before) == 1

    # The old page's token now names nothing: the person is asked to choose the files again, nothing is lost silently.
    stale = client.post(
        SUBMIT,
        {**ticket_fields, "requester_email": PAT, "pending_uploads": kept_token(first), "duplicate_choice": "new"},
    )
    assert stale.status_code == 200 and "Please choose your files again" in stale.content.decode()
    assert Ticket.objects.count() == 1

    done = client.post(
        SUBMIT,
        {**ticket_fields, "requester_email": PAT, "pending_uploads": kept_token(second), "duplicate_choice": "new"},
    )
    assert done.status_code == 302
    assert Ticket.objects.exclude(pk=open_ticket.pk).get().attachments.get().original_name == "b.png"


def test_another_browser_keeps_its_own(client, ticket_fields, open_ticket):
    client.post(SUBMIT, {**ticket_fields, "requester_email": PAT, "attachments": [upload("a.png", png_bytes())]})
    kept = set(pending_files())
    Client().post(SUBMIT, {**ticket_fields, "requester_email": PAT, "attachments": [upload("b.png", png_bytes())]})
    assert kept <= set(pending_files())
