"""Sending: one pending email over SMTP, and the due ones in a batch. The tasks call these; nothing here queues."""

import logging
import re
import smtplib

from django.conf import settings
from django.core.files.storage import storages
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from notifications.models import OutboundEmail

logger = logging.getLogger(__name__)

SEND_DUE_BATCH_SIZE = 200
SECRET_PLACEHOLDER = re.compile(r"\[\[secret:([a-z_]+)\]\]")


def secret_placeholder(name: str) -> str:
    """What the stored body holds instead of a live link; neither HTML nor text escaping changes it."""
    return f"[[secret:{name}]]"


def _with_secrets(text: str, values: dict, *, html: bool = False) -> str:
    # A link whose value is gone (emptied after a failed delivery, then retried) becomes the home page, from where
    # the person can ask for a new one: never a broken placeholder.
    def fill(match: re.Match) -> str:
        value = values.get(match.group(1)) or settings.HELPDESK_BASE_URL + "/"
        return escape(value) if html else value

    return SECRET_PLACEHOLDER.sub(fill, text)


def email_deliver(*, email_id: int) -> None:
    """Send one pending email over SMTP, recording success or scheduling a retry."""
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutboundEmail.Status.PENDING)
            .first()
        )
        if email is None:
            return  # already sent, given up on, or locked by another worker
        try:
            _message_for(email).send()
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning("Email %s not delivered (attempt %s): %s", email.pk, email.attempts + 1, exc)
            email.record_failure(error=f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # a bad header or address: retrying cannot help, and it must not block the rest
            logger.exception("Email %s cannot be sent", email.pk)
            email.record_failure(error=f"{type(exc).__name__}: {exc}", permanent=True)
        else:
            email.status, email.sent_at, email.last_error = OutboundEmail.Status.SENT, timezone.now(), ""
            email.attempts += 1
        if email.status != OutboundEmail.Status.PENDING:
            email.secret_values = {}  # sent or given up: the live links leave the database
        email.save(update_fields=["status", "sent_at", "attempts", "next_attempt_at", "last_error", "secret_values"])


def _message_for(email: OutboundEmail) -> EmailMultiAlternatives:
    headers = {"Message-ID": email.message_id}
    if email.is_automatic:
        headers["Auto-Submitted"] = "auto-replied"  # RFC 3834: other responders must not answer it
    message = EmailMultiAlternatives(
        email.subject,
        _with_secrets(email.body_text, email.secret_values),
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=headers,
    )
    if email.body_html:
        message.attach_alternative(_with_secrets(email.body_html, email.secret_values, html=True), "text/html")
    _attach_files(message, email)
    return message


def _attach_files(message: EmailMultiAlternatives, email: OutboundEmail) -> None:
    storage = storages["attachments"]  # the same private storage the tickets app saves into
    for attachment in email.attachments.all():
        try:
            with storage.open(attachment.storage_name, "rb") as stored:
                message.attach(attachment.filename, stored.read(), attachment.content_type)
        except FileNotFoundError:
            # Deleted since: send the rest (the email body lists each file) rather than never sending.
            logger.warning("Attachment %s of email %s is gone", attachment.storage_name, email.pk)


def email_send_due(*, now=None, limit: int = SEND_DUE_BATCH_SIZE) -> int:
    """Deliver pending emails whose time has come (never queued, or waiting to retry); return how many were tried."""
    now = now or timezone.now()
    due_ids = list(
        OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for email_id in due_ids:
        email_deliver(email_id=email_id)
    return len(due_ids)
