from email.utils import make_msgid

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.delivery import (  # noqa: F401 (the outbox's public names)
    email_deliver,
    email_send_due,
    secret_placeholder,
)
from notifications.models import OutboundEmail, OutboundEmailAttachment
from notifications.tasks import email_deliver as email_deliver_task


def email_enqueue(
    *,
    to: str,
    template: str,
    context: dict,
    idempotency_key: str,
    thread: str = "",
    is_automatic: bool = False,
    reply_to: str | None = None,
    attachments: list[tuple[str, str, str]] = (),
    secrets: dict[str, str] | None = None,
) -> OutboundEmail:
    """Store a rendered email; deliver it after the caller's transaction commits.

    attachments are (storage name in private storage, file name, content type) of files already stored.
    secrets are context values (live links) that must not stay readable in the database: the stored bodies get a
    placeholder in their place, and the values are kept only until the email is sent.
    """
    secrets = {name: value for name, value in (secrets or {}).items() if value}
    placeholders = {name: secret_placeholder(name) for name in secrets}
    context = {"base_url": settings.HELPDESK_BASE_URL, **context, **placeholders}
    email, created = OutboundEmail.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "to": to,
            "reply_to": reply_to or settings.HELPDESK_REPLY_TO,
            "subject": "".join(render_to_string(f"{template}.subject.txt", context).splitlines()).strip()[:255],
            "body_text": render_to_string(f"{template}.txt", context),
            "body_html": render_to_string(f"{template}.html", context),
            "message_id": make_msgid(domain=settings.HELPDESK_REQUESTER_DOMAIN),
            "thread": thread,
            "is_automatic": is_automatic,
            "secret_values": secrets,
        },
    )
    if created:
        OutboundEmailAttachment.objects.bulk_create(
            OutboundEmailAttachment(email=email, storage_name=name, filename=filename, content_type=content_type)
            for name, filename, content_type in attachments
        )

        # robust=True: if Redis is down the page still succeeds; email_send_due() picks the row up later.
        # A def, not functools.partial: Django logs a failed robust hook by its __qualname__.
        def queue_delivery():
            email_deliver_task.delay(email.pk)

        transaction.on_commit(queue_delivery, robust=True)
    return email


def emails_retry(*, email_ids: list[int]) -> int:
    """Put failed emails back in the queue for delivery now; return how many."""
    with transaction.atomic():
        count = OutboundEmail.objects.filter(pk__in=email_ids, status=OutboundEmail.Status.FAILED).update(
            status=OutboundEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        for email_id in email_ids:
            transaction.on_commit(lambda email_id=email_id: email_deliver_task.delay(email_id), robust=True)
    return count
