"""Alerts to technicians, their choices, the school day and the response targets: admin data and what is waiting."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from district.models import Priority


class SchoolDay(models.Model):
    """When the school day runs (district time, America/Chicago), on weekdays that are not closed days; one row."""

    starts_at = models.TimeField(
        "school day starts", default=datetime.time(7, 0), help_text="Alerts outside school hours wait until then."
    )
    ends_at = models.TimeField("school day ends", default=datetime.time(16, 0))
    lead_technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Hears once about each ticket that misses its response target.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "school hours and lead technician"

    def __str__(self):
        return f"School hours {self.starts_at:%H:%M} to {self.ends_at:%H:%M}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The school day must end after it starts."})

    @classmethod
    def load(cls) -> "SchoolDay":
        return cls.objects.select_related("lead_technician").get_or_create(pk=1)[0]


class ResponseTarget(models.Model):
    """How soon a ticket of one priority gets its first reply and its resolution, in school hours."""

    priority = models.PositiveSmallIntegerField(choices=Priority.choices, unique=True)
    first_reply_hours = models.DecimalField(
        "first reply within (school hours)",
        max_digits=6,
        decimal_places=2,
        help_text="Counted in school hours only: weekends, closed days and time waiting on the requester pause it.",
    )
    resolve_hours = models.DecimalField(
        "resolved within (school hours)",
        max_digits=6,
        decimal_places=2,
        help_text="One school day is the length of the school day (9 hours from 7:00 to 16:00).",
    )

    class Meta:
        ordering = ["-priority"]

    def __str__(self):
        return f"{self.get_priority_display()}: first reply {self.first_reply_hours} h, resolved {self.resolve_hours} h"

    def clean(self):
        if self.first_reply_hours is not None and self.first_reply_hours <= 0:
            raise ValidationError({"first_reply_hours": "Enter more than 0 hours."})
        if self.resolve_hours is not None and self.first_reply_hours and self.resolve_hours < self.first_reply_hours:
            raise ValidationError({"resolve_hours": "Give at least as long to resolve as to reply first."})


class Kind(models.TextChoices):
    """What an alert is about; each technician chooses how each kind reaches them (mentions always do)."""

    NEW_TICKET = "new_ticket", "A new ticket at a school I cover"
    URGENT = "urgent", "An urgent ticket at a school I cover"
    ASSIGNED = "assigned", "A ticket assigned to me by someone else"
    REQUESTER_REPLIED = "requester_replied", "A requester replied on my ticket (or at my school, unassigned)"
    MENTION = "mention", "Someone @mentioned me in an internal note"
    OUTAGE = "outage", "A possible outage at a school I cover"
    OVERDUE = "overdue", "A ticket missed its response target (lead technician)"


class Delivery(models.TextChoices):
    AT_ONCE = "now", "Email at once"
    DIGEST = "digest", "In the morning digest"
    OFF = "off", "Off"


DEFAULT_DELIVERY = {
    Kind.NEW_TICKET: Delivery.DIGEST,
    Kind.URGENT: Delivery.AT_ONCE,
    Kind.ASSIGNED: Delivery.AT_ONCE,
    Kind.REQUESTER_REPLIED: Delivery.AT_ONCE,
    Kind.MENTION: Delivery.AT_ONCE,
    Kind.OUTAGE: Delivery.AT_ONCE,
    Kind.OVERDUE: Delivery.AT_ONCE,
}
# Sent at once whatever the hour: the rest waits for the morning digest outside school hours.
ALWAYS_AT_ONCE = {Kind.URGENT, Kind.MENTION}


class AlertPreference(models.Model):
    """One technician's choice for one kind of alert; no row means the default (DEFAULT_DELIVERY)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preferences")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="alert_preference_once")]
        ordering = ["user__username", "kind"]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}: {self.get_delivery_display()}"


class Alert(models.Model):
    """One thing one technician is to hear about; emailed alone, folded with others on the ticket, or in a digest."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    send_after = models.DateTimeField()
    is_digest = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    email = models.ForeignKey("notifications.OutboundEmail", on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["send_after"], condition=models.Q(sent_at__isnull=True), name="alert_waiting_idx"),
            models.Index(fields=["recipient", "ticket", "-sent_at"], name="alert_recent_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient}"


class TicketClock(models.Model):
    """A ticket's response-target due times, what is left of them while it waits, and the lead's one alert."""

    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, related_name="+", primary_key=True)
    first_reply_due_at = models.DateTimeField(null=True)
    resolve_due_at = models.DateTimeField(null=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    waited = models.DurationField(default=datetime.timedelta, help_text="School time spent waiting on the requester.")
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Clock of ticket {self.ticket_id}"
