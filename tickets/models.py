import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class School(models.Model):
    name = models.CharField(max_length=120, unique=True)
    is_active = models.BooleanField(default=True, help_text="Untick to retire a school: it leaves the ticket form.")
    order = models.PositiveIntegerField(default=100, help_text="Lower numbers are listed first on the form.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class TicketType(models.Model):
    name = models.CharField(max_length=80, unique=True)
    is_active = models.BooleanField(default=True, help_text="Untick to hide this type from the ticket form.")
    order = models.PositiveIntegerField(default=100, help_text="Lower numbers are listed first on the form.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class TicketNumberCounter(models.Model):
    """The last ticket number handed out; its row lock serialises concurrent submissions."""

    last_number = models.PositiveIntegerField(default=1000)

    def __str__(self):
        return f"Last ticket number: {self.last_number}"


class Ticket(models.Model):
    class Priority(models.IntegerChoices):
        LOW = 1, "Low"
        MEDIUM = 2, "Medium"
        HIGH = 3, "High"
        URGENT = 4, "Urgent"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        WAITING = "waiting", "Waiting on requester"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    number = models.PositiveIntegerField(unique=True, editable=False)
    # Unguessable id for links given to the requester; the number alone never opens a ticket.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requester_email = models.EmailField()
    subject = models.CharField(max_length=200)
    ticket_type = models.ForeignKey(TicketType, on_delete=models.PROTECT, null=True, blank=True, verbose_name="type")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.LOW)
    school = models.ForeignKey(School, on_delete=models.PROTECT)
    classroom = models.CharField("classroom number", max_length=40)
    description = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    overridden_rule = models.ForeignKey(
        "routing.RoutingRule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="overriding_tickets",
        help_text="The routing rule the requester said did not apply (“My request is different”).",
    )
    routing_note = models.TextField(blank=True, help_text="A note for technicians added by a routing rule.")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(Lower("requester_email"), name="ticket_requester_email_idx"),
        ]

    def __str__(self):
        return f"#{self.number} {self.subject}"

    def save(self, *args, **kwargs):
        self.requester_email = self.requester_email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def display_number(self) -> str:
        return f"#{self.number}"


def attachment_storage():
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def attachment_path(instance: "Attachment", filename: str) -> str:
    """Store under a random name, so nothing the requester typed reaches the file system."""
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=attachment_storage, max_length=200)
    original_name = models.CharField(max_length=200, help_text="The file's name on the requester's computer, cleaned.")
    content_type = models.CharField(max_length=120, help_text="Detected from the file's content, not its name.")
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
