"""Attachments go through Django's storage API (STORAGES["attachments"]), so any backend works: a local folder,
a shared mount or S3-compatible object storage. Here the storage is Django's in-memory one, which proves that no
code path reaches for the local disk."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, storages
from django.utils import timezone
from django.utils.functional import empty

from district.storage import attachment_files
from tests.factories import TicketFactory
from tests.files import pdf_bytes, png_bytes, upload
from tickets.models import Attachment, Ticket
from tickets.pending_uploads import pending_uploads_sweep

pytestmark = pytest.mark.django_db
PAT = "pat.lee@northpanolaschools.org"
SUBMIT = "/tickets/new/"


@pytest.fixture
def memory_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    attachment_files._wrapped = empty  # looked up again, like Django resets default_storage
    storage = storages["attachments"]
    assert isinstance(storage, InMemoryStorage)
    yield storage
    attachment_files._wrapped = empty


def test_uploaded_file_is_saved_in_the_configured_storage(client, ticket_fields, memory_storage):
    """The form's file lands in STORAGES["attachments"] under a random name, with the same bytes."""
    response = client.post(
        SUBMIT, {**ticket_fields, "requester_email": PAT, "attachments": [upload("screen.png", png_bytes())]}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.file.storage._wrapped is memory_storage
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}", attachment.file.name)
    with memory_storage.open(attachment.file.name, "rb") as stored:
        assert stored.read() == png_bytes()


def test_technician_downloads_from_the_storage_and_others_cannot(client, tech_client, memory_storage):
    """The download view streams from the storage; a signed-out visitor is sent to log in."""
    ticket = TicketFactory()
    attachment = Attachment(ticket=ticket, original_name="quote.pdf", content_type="application/pdf", size=9)
    attachment.file.save("ignored.pdf", ContentFile(pdf_bytes()), save=True)
    url = f"/queue/{ticket.number}/attachments/{attachment.pk}/"

    response = tech_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Disposition"] == 'attachment; filename="quote.pdf"'
    other = TicketFactory()
    assert tech_client.get(f"/queue/{other.number}/attachments/{attachment.pk}/").status_code == 404

    tech_client.logout()
    assert client.get(url).status_code == 302


def test_files_kept_for_the_duplicate_step_live_in_the_storage(client, ticket_fields, memory_storage):
    """Files chosen before the duplicate question are stashed in the storage and become the ticket's files."""
    TicketFactory(number=4001, requester_email=PAT)
    first = client.post(
        SUBMIT, {**ticket_fields, "requester_email": PAT, "attachments": [upload("a.png", png_bytes())]}
    )
    _, stashed = memory_storage.listdir("pending")
    assert len(stashed) == 1
    token = re.search(r'name="pending_uploads" value="([^"]+)"', first.content.decode()).group(1)

    response = client.post(
        SUBMIT, {**ticket_fields, "requester_email": PAT, "pending_uploads": token, "duplicate_choice": "new"}
    )
    assert response.status_code == 302
    attachment = Ticket.objects.exclude(number=4001).get().attachments.get()
    with memory_storage.open(attachment.file.name, "rb") as stored:
        assert stored.read() == png_bytes()


def test_sweep_removes_only_stashed_files_older_than_a_day(memory_storage):
    """The hourly sweep deletes abandoned duplicate-step files through the storage, and nothing else."""
    memory_storage.save("pending/old", ContentFile(b"old"))
    memory_storage.save("pending/new", ContentFile(b"new"))
    memory_storage.save("attachments/2026/01/kept", ContentFile(b"kept"))

    assert pending_uploads_sweep(now=timezone.now() + timedelta(hours=1)) == 0
    assert pending_uploads_sweep(now=timezone.now() + timedelta(days=1, minutes=1)) == 2
    assert not memory_storage.exists("pending/old") and not memory_storage.exists("pending/new")
    assert memory_storage.exists("attachments/2026/01/kept")
