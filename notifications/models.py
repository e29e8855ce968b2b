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

    def record_failure(self, *, error: str, now=None) -> None:
        """Count a failed attempt and schedule the next one, doubling the wait; give up after the last."""
        now = now or timezone.now()
        self.attempts += 1
        self.last_error = error[:2000]
        if self.attempts >= settings.HELPDESK_EMAIL_MAX_ATTEMPTS:
            self.status = self.Status.FAILED
            return
        wait = settings.HELPDESK_EMAIL_RETRY_BASE_SECONDS * 2 ** (self.attempts - 1)
        self.next_attempt_at = now + timedelta(seconds=min(wait, settings.HELPDESK_EMAIL_RETRY_MAX_SECONDS))
