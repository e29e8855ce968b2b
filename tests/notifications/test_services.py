import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from notifications.services import email_deliver, email_enqueue, email_send_due, emails_retry
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_email(db):
    return email_enqueue(
        to="pat@northpanolaschools.org",
        template="notifications/email/ticket_receipt",
        context={"ticket": TicketFactory(number=4321), "attachments": []},
        idempotency_key="receipt-test",
    )


def test_email_enqueue_is_idempotent(pending_email):
    again = email_enqueue(
        to="someone-else@northpanolaschools.org",
        template="notifications/email/ticket_receipt",
        context={"ticket": TicketFactory(number=9999), "attachments": []},
        idempotency_key="receipt-test",
    )
    assert again.pk == pending_email.pk
    assert OutboundEmail.objects.count() == 1


def test_email_deliver_sends_text_and_html_with_reply_to(pending_email, mailoutbox):
    email_deliver(email_id=pending_email.pk)

    pending_email.refresh_from_db()
    assert (pending_email.status, pending_email.attempts) == (OutboundEmail.Status.SENT, 1)
    assert pending_email.sent_at is not None
    [message] = mailoutbox
    assert message.subject.startswith("[Ticket #4321]")
    assert message.reply_to == ["helpdesk@northpanolaschools.org"]
    assert message.extra_headers["Message-ID"] == pending_email.message_id
    assert message.alternatives[0].mimetype == "text/html"


def test_email_deliver_sends_only_once(pending_email, mailoutbox):
    email_deliver(email_id=pending_email.pk)
    email_deliver(email_id=pending_email.pk)
    assert len(mailoutbox) == 1


def test_smtp_failure_backs_off_then_fails(pending_email, settings):
    """Each failure doubles the wait; after the last attempt the email shows as failed."""
    settings.HELPDESK_EMAIL_MAX_ATTEMPTS = 3
    settings.HELPDESK_EMAIL_RETRY_BASE_SECONDS = 60
    refused = smtplib.SMTPConnectError(421, "Service not available")
    waits = []
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=refused):
        for _ in range(2):
            before = timezone.now()
            email_deliver(email_id=pending_email.pk)
            pending_email.refresh_from_db()
            waits.append(round((pending_email.next_attempt_at - before).total_seconds() / 60))
        assert (pending_email.status, pending_email.attempts, waits) == (OutboundEmail.Status.PENDING, 2, [1, 2])
        assert "SMTPConnectError" in pending_email.last_error
        email_deliver(email_id=pending_email.pk)
    pending_email.refresh_from_db()
    assert (pending_email.status, pending_email.attempts) == (OutboundEmail.Status.FAILED, 3)


def test_email_send_due_delivers_only_what_is_due(pending_email, mailoutbox):
    later = email_enqueue(
        to="lee@northpanolaschools.org",
        template="notifications/email/ticket_receipt",
        context={"ticket": TicketFactory(), "attachments": []},
        idempotency_key="later",
    )
    OutboundEmail.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))

    assert email_send_due() == 1
    assert [m.to for m in mailoutbox] == [["pat@northpanolaschools.org"]]


def test_emails_retry_puts_failed_emails_back(pending_email, mailoutbox, django_capture_on_commit_callbacks):
    OutboundEmail.objects.filter(pk=pending_email.pk).update(status=OutboundEmail.Status.FAILED, attempts=8)
    with django_capture_on_commit_callbacks(execute=True):
        assert emails_retry(email_ids=[pending_email.pk]) == 1
    pending_email.refresh_from_db()
    assert pending_email.status == OutboundEmail.Status.SENT
    assert len(mailoutbox) == 1


def test_attachments_are_sent_with_the_email(mailoutbox, settings, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    from tests.files import pdf_bytes

    storage = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)
    stored = storage.save("requests/test-flyer", ContentFile(pdf_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        email_enqueue(
            to="mass@northpanolaschools.org",
            reply_to="pat@northpanolaschools.org",
            template="notifications/email/ticket_receipt",
            context={"ticket": TicketFactory(), "attachments": []},
            idempotency_key="with-file",
            attachments=[(stored, "Flyer.pdf", "application/pdf")],
        )
    [message] = mailoutbox
    assert message.reply_to == ["pat@northpanolaschools.org"]
    assert message.attachments == [("Flyer.pdf", pdf_bytes(), "application/pdf")]


def test_a_deleted_attachment_does_not_stop_the_email(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = email_enqueue(
            to="mass@northpanolaschools.org",
            template="notifications/email/ticket_receipt",
            context={"ticket": TicketFactory(), "attachments": []},
            idempotency_key="missing-file",
            attachments=[("requests/gone", "Gone.pdf", "application/pdf")],
        )
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and mailoutbox[0].attachments == []


def test_an_unsendable_email_fails_at_once_and_does_not_block_the_others(mailoutbox):
    """A header that cannot be sent is marked failed for admins; the next due email still goes."""
    bad = email_enqueue(
        to="pat@northpanolaschools.org",
        template="notifications/email/ticket_receipt",
        context={"ticket": TicketFactory(), "attachments": []},
        idempotency_key="bad-header",
    )
    OutboundEmail.objects.filter(pk=bad.pk).update(to="a@northpanolaschools.org\nBcc: x@example.com")
    good = email_enqueue(
        to="lee@northpanolaschools.org",
        template="notifications/email/ticket_receipt",
        context={"ticket": TicketFactory(), "attachments": []},
        idempotency_key="good",
    )
    assert email_send_due() == 2
    bad.refresh_from_db()
    good.refresh_from_db()
    assert (bad.status, good.status) == (OutboundEmail.Status.FAILED, OutboundEmail.Status.SENT)
    assert [m.to for m in mailoutbox] == [["lee@northpanolaschools.org"]]
