"""Email as it arrived, and email held until a technician trusts its sender.

Both began in the tickets app; their tables keep the tickets_ names, so moving them here moved no data.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class OriginalEmail(models.Model):
    """An email as it arrived, kept whole so technicians can read what quote stripping cut."""

    message_id = models.CharField(max_length=255, db_index=True)
    message = models.BinaryField(editable=False)
    received_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "tickets_originalemail"

    def __str__(self):
        return self.message_id


class HeldEmail(models.Model):
    """An email whose sender our mail server could not verify: it waits for a technician to accept or discard it."""

    class Status(models.TextChoices):
        HELD = "held", "Held"
        ACCEPTED = "accepted", "Accepted"
        DISCARDED = "discarded", "Discarded"

    original = models.OneToOneField(OriginalEmail, on_delete=models.CASCADE, related_name="held")
    from_address = models.CharField(max_length=254)
    subject = models.CharField(max_length=255, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="held_emails"
    )
    text = models.TextField(blank=True, help_text="What the sender wrote, without the quoted history.")
    reason = models.CharField(max_length=255, help_text="Why the sender could not be verified.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD, db_index=True)
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=255, blank=True, help_text="What accepting it did.")

    class Meta:
        db_table = "tickets_heldemail"
        ordering = ["-received_at", "-pk"]
        verbose_name = "held email"
        verbose_name_plural = "held email"

    def __str__(self):
        return f"{self.from_address}: {self.subject}"
