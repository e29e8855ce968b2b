import threading

import pytest
from django.db import connection

from district.attachments import check_uploads
from notifications.models import OutboundEmail
from tests.factories import SchoolFactory, TicketTypeFactory
from tests.files import png_bytes, upload
from tickets.models import Ticket, TicketNumberCounter
from tickets.services import ticket_create


@pytest.fixture
def create_kwargs(db):
    return {
        "subject": "Projector in room 12 will not turn on",
        "ticket_type": TicketTypeFactory(name="Interactive board / Projector"),
        "priority": Ticket.Priority.MEDIUM,
        "school": SchoolFactory(name="Green Hill Elementary School"),
        "classroom": "12",
        "description": "The projector light blinks orange and the screen stays blue.",
    }


@pytest.mark.django_db
def test_ticket_create_stores_receipt_and_queues_it_after_commit(create_kwargs, django_capture_on_commit_callbacks):
    """The receipt row is written with the ticket; Celery hears about it only after commit."""
    with django_capture_on_commit_callbacks() as callbacks:
        ticket = ticket_create(**create_kwargs, requester_email="Pat.Lee@northpanolaschools.org")

    email = OutboundEmail.objects.get()
    assert (email.to, email.status) == ("pat.lee@northpanolaschools.org", OutboundEmail.Status.PENDING)
    assert email.subject == f"[Ticket #{ticket.number}] We received your request: Projector in room 12 will not turn on"
    assert f"#{ticket.number}" in email.body_text and f"#{ticket.number}" in email.body_html
    assert "Please do not submit another ticket" in email.body_text
    assert email.reply_to == "helpdesk@northpanolaschools.org"
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_ticket_create_numbers_tickets_from_1001(create_kwargs):
    first = ticket_create(**create_kwargs, requester_email="a@northpanolaschools.org")
    second = ticket_create(**create_kwargs, requester_email="b@northpanolaschools.org")
    assert (first.number, second.number) == (1001, 1002)
    assert first.display_number == "#1001"


@pytest.mark.django_db
def test_ticket_create_saves_attachments_under_random_names(create_kwargs, settings):
    accepted, _ = check_uploads(
        [upload("My Screen (1).png", png_bytes())], max_files=5, max_bytes=10_000_000, total_max_bytes=25_000_000
    )
    ticket = ticket_create(**create_kwargs, requester_email="a@northpanolaschools.org", attachments=accepted)

    attachment = ticket.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "My_Screen_1.png",
        "image/png",
        len(png_bytes()),
    )
    assert "Screen" not in attachment.file.name and attachment.file.name.startswith("attachments/")
    assert attachment.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    with attachment.file.open("rb") as stored:
        assert stored.read() == png_bytes()
    assert "My_Screen_1.png" in OutboundEmail.objects.get().body_text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_never_share_a_number(create_kwargs):
    """Eight submissions at once on PostgreSQL get eight different numbers."""
    TicketNumberCounter.objects.update_or_create(pk=1, defaults={"last_number": 1000})  # flushed by earlier tests
    numbers, errors = [], []

    def submit(n):
        try:
            numbers.append(ticket_create(**create_kwargs, requester_email=f"t{n}@northpanolaschools.org").number)
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1001, 1009))
