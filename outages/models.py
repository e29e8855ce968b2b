"""Outages: one problem at one or more schools, the tickets linked to it, the people affected, its updates."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from district.models import School, TicketType


class Outage(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200, help_text="What staff read first, e.g. “Internet down at Green Hill”.")
    schools = models.ManyToManyField(School, blank=True, related_name="+", help_text="Empty with district-wide.")
    is_district_wide = models.BooleanField("district-wide", default=False)
    ticket_type = models.ForeignKey(
        TicketType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="type"
    )
    message = models.TextField("message to staff", help_text="What staff read on the home page and the ticket form.")
    reported_by = models.CharField(
        "who called", max_length=200, blank=True, help_text="For an outage declared from a phone call."
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, help_text="The last update staff were told.")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["started_at"], condition=models.Q(resolved_at__isnull=True), name="outage_open_idx")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("outages:detail", kwargs={"public_id": self.public_id})

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class OutageTicket(models.Model):
    """A ticket linked to an outage: a ticket belongs to one outage at most."""

    outage = models.ForeignKey(Outage, on_delete=models.CASCADE, related_name="links")
    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, related_name="outage_link")
    linked_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Ticket {self.ticket_id} in outage {self.outage_id}"


class OutagePerson(models.Model):
    """Someone who said “I'm affected too” (on the ticket form or by email): they get the outage's updates."""

    class Source(models.TextChoices):
        FORM = "form", "Ticket form"
        EMAIL = "email", "Email to the help desk"

    outage = models.ForeignKey(Outage, on_delete=models.CASCADE, related_name="people")
    email = models.EmailField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["outage", "email"], name="outage_person_unique")]

    def __str__(self):
        return self.email


class OutageUpdate(models.Model):
    outage = models.ForeignKey(Outage, on_delete=models.CASCADE, related_name="updates")
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Update on {self.outage_id} at {self.created_at:%Y-%m-%d %H:%M}"


class PossibleOutage(models.Model):
    """Open tickets of one type at one school that arrived close together: shown in the queue until decided."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a technician"
        DECLARED = "declared", "Declared an outage"
        DISMISSED = "dismissed", "Not an outage"

    detection_key = models.CharField(max_length=100, unique=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.CASCADE, related_name="+")
    ticket_numbers = models.JSONField(default=list)
    detected_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    outage = models.ForeignKey(Outage, on_delete=models.SET_NULL, null=True, blank=True, related_name="detections")

    class Meta:
        ordering = ["-detected_at"]
        constraints = [
            # One cluster in the queue per school and type at a time: concurrent tickets join it.
            models.UniqueConstraint(
                fields=["school", "ticket_type"], condition=models.Q(status="pending"), name="possible_outage_pending"
            )
        ]

    def __str__(self):
        return f"Possible outage: {self.ticket_type} at {self.school}"


class OutageEmailWording(models.Model):
    """What the outage emails say around the technician's own words; edited in admin."""

    class Kind(models.TextChoices):
        DECLARED = "declared", "Outage declared"
        UPDATE = "update", "Update posted"
        RESOLVED = "resolved", "Outage resolved"

    kind = models.CharField(max_length=10, choices=Kind.choices, unique=True)
    subject = models.CharField(max_length=200, help_text="{title} is replaced by the outage's title.")
    opening = models.TextField(help_text="Before the technician's message.")
    closing = models.TextField(help_text="After the technician's message: what happens next.")

    class Meta:
        verbose_name = "outage email wording"
        verbose_name_plural = "outage email wording"

    def __str__(self):
        return self.get_kind_display()
