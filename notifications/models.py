from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboundEmail(models.Model):
    """One email to send. The row, not the Celery message, is the source of truth, so nothing is lost."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    to = models.EmailField()
    reply_to = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, unique=True, help_text="The Message-ID header, for threading.")
    thread = models.CharField(
        max_length=40, blank=True, db_index=True, help_text="What replies to this email belong to, e.g. ticket:1042."
    )
    is_automatic = models.BooleanField(
        default=False, help_text="An automatic answer: sent with Auto-Submitted so other robots do not answer it."
    )
    # Live links (sign-in, per-ticket, reopen, feedback) kept only until the email is sent: the bodies above hold
    # placeholders, delivery fills them in, then this is emptied. Never shown in admin.
    secret_values = models.JSONField(default=dict, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]
        verbose_name = "outbound email"

    def __str__(self):
        return f"{self.subject} → {self.to}"

    def record_failure(self, *, error: str, now=None, permanent: bool = False) -> None:
        """Count a failed attempt and schedule the next one, doubling the wait; give up after the last."""
        now = now or timezone.now()
        self.attempts += 1
        self.last_error = error[:2000]
        if permanent or self.attempts >= settings.HELPDESK_EMAIL_MAX_ATTEMPTS:
            self.status = self.Status.FAILED
            return
        wait = settings.HELPDESK_EMAIL_RETRY_BASE_SECONDS * 2 ** (self.attempts - 1)
        self.next_attempt_at = now + timedelta(seconds=min(wait, settings.HELPDESK_EMAIL_RETRY_MAX_SECONDS))


class OutboundEmailAttachment(models.Model):
    """A file sent with an email; it stays in private storage (HELPDESK_PRIVATE_MEDIA_ROOT) until delivery reads it."""

    email = models.ForeignKey(OutboundEmail, on_delete=models.CASCADE, related_name="attachments")
    storage_name = models.CharField(max_length=200, help_text="The file's name in private storage.")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.filename


class InboundEmail(models.Model):
    """One email read from the help desk mailbox or a file, and what was done with it; never processed twice."""

    class Outcome(models.TextChoices):
        REPLY_ADDED = "reply_added", "Added to an open ticket"
        REOPENED = "reopened", "Reopened a closed ticket"
        THANKS_RECORDED = "thanks", "Thank-you on a closed ticket, recorded"
        AFTER_CLOSE_ANSWERED = "after_close", "Reply after closing, answered with a reopen link"
        NEW_REQUEST_ANSWERED = "new_request", "Request by email, answered with the form"
        NEW_REQUEST_ALREADY_ANSWERED = "new_request_again", "Request by email, already answered today"
        BOUNCE_RECORDED = "bounce", "Bounce, marked on the ticket"
        IGNORED_AUTOMATIC = "automatic", "Automatic mail, ignored"
        IGNORED_OUTSIDE = "outside", "From outside the district, ignored"
        IGNORED_FORGED = "forged", "Failed sender checks, ignored"
        HELD = "held", "Sender not verified, held for a technician"

    message_id = models.CharField(max_length=255, unique=True)
    from_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    ticket_number = models.PositiveIntegerField(null=True, blank=True)
    detail = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "inbound email"

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.subject}"
