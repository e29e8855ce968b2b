import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from district.models import Priority, School, TicketType
from district.storage import (
    attachment_storage,  # also named here by migration 0001 as tickets.models.attachment_storage
)
from helpdesk.email_address import normalize_email
from helpdesk.links import link


class TicketNumberCounter(models.Model):
    """The last ticket number handed out; its row lock serialises concurrent submissions."""

    last_number = models.PositiveIntegerField(default=1000)

    def __str__(self):
        return f"Last ticket number: {self.last_number}"


OPEN_WORK = models.Q(status__in=["open", "in_progress", "waiting"])


class Ticket(models.Model):
    Priority = Priority

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
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_tickets"
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
        editable=False,
        help_text="The requester had this ticket open and chose to submit a new one anyway.",
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_tickets", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Written by the alerts app from the response targets (school hours only): the first reply's due time until
    # someone answers, then the resolution's; empty while the ticket waits on its requester and once it is closed.
    due_at = models.DateTimeField("due", null=True, blank=True, editable=False)
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
    device = models.ForeignKey(
        "devices.Device", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    device_typed = models.CharField(
        "asset tag or serial as typed", max_length=60, blank=True, help_text="What the requester typed on the form."
    )

    class Satisfaction(models.TextChoices):
        SOLVED = "solved", "Solved"
        NOT_SOLVED = "not_solved", "Not solved"

    waiting_since = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it became Waiting on requester."
    )
    waiting_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    satisfaction = models.CharField(max_length=12, choices=Satisfaction.choices, blank=True)
    satisfaction_comment = models.TextField(blank=True)
    satisfaction_at = models.DateTimeField(null=True, blank=True)
    is_requester_email_undeliverable = models.BooleanField(
        "requester email undeliverable", default=False, help_text="A receipt or reply to the requester bounced."
    )
    # Bumped by every change a technician saves, so a stale form can warn instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Full-text search document (PostgreSQL; a GIN index is created by migration 0004 there only).
    search_vector = SearchVectorField(null=True, editable=False)

    # Also written in OPEN_WORK above and in the SchoolOpenCount trigger (migration 0015): change all three together.
    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.WAITING)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            # The queue's sort orders, for open work (partial) and for all tickets.
            models.Index(
                fields=["-priority", "created_at", "id"], condition=OPEN_WORK, name="ticket_open_priority_idx"
            ),
            models.Index(
                fields=["created_at", "id"],
                include=["school", "priority"],  # Schools to visit reads recent open tickets from the index alone
                condition=OPEN_WORK,
                name="ticket_open_age_idx",
            ),
            models.Index(fields=["-updated_at", "-id"], condition=OPEN_WORK, name="ticket_open_updated_idx"),
            models.Index(fields=["due_at", "id"], condition=OPEN_WORK, name="ticket_open_due_idx"),
            models.Index(
                fields=["status", "school", "priority", "created_at", "id"],
                condition=OPEN_WORK,
                name="ticket_open_school_idx",  # index-only scan for the schools-to-visit ranking
            ),
            models.Index(fields=["-priority", "created_at", "id"], name="ticket_priority_idx"),
            # Reports read these columns for a date range without touching the wide rows.
            models.Index(
                fields=["created_at"],
                include=["id", "school", "ticket_type", "first_response_at", "closed_at"],
                name="ticket_report_opened_idx",
            ),
            models.Index(fields=["closed_at"], include=["id"], name="ticket_closed_at_idx"),
            models.Index(Lower("requester_email"), name="ticket_requester_email_idx"),
            # The form's duplicate check: this requester's open tickets (addresses are stored lower-cased).
            models.Index(fields=["requester_email"], condition=OPEN_WORK, name="ticket_open_requester_idx"),
        ]

    def __str__(self):
        return f"#{self.number} {self.subject}"

    def save(self, *args, **kwargs):
        self.requester_email = normalize_email(self.requester_email)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return link("tickets:detail", self.number)

    @property
    def display_number(self) -> str:
        return f"#{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class TicketRoutingLog(models.Model):
    """A routing rule's log (routing.DeflectionLog) for this ticket: a rule the requester overrode, or the one that
    changed the ticket. Kept on the tickets side, so routing never refers to tickets."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="routing_logs")
    deflection = models.OneToOneField("routing.DeflectionLog", on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return f"Routing log {self.deflection_id} of ticket {self.ticket_id}"


class SchoolOpenCount(models.Model):  # noqa: DJ008  internal counts, never listed in admin or forms
    """Open tickets per school and priority, for Schools to visit; kept by a PostgreSQL trigger (migration 0015)
    on every ticket write, bulk `update()`s included, with `Ticket.OPEN_STATUSES` as its open list. None on SQLite."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    priority = models.PositiveSmallIntegerField(choices=Ticket.Priority.choices)
    open_count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "priority"], name="school_open_count_unique")]


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


class TicketEvent(models.Model):
    """One entry on a ticket's timeline: a reply, an internal note, or a change a technician made."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Reply to requester"
        NOTE = "note", "Internal note"
        CHANGE = "change", "Change"
        CLOSED = "closed", "Closed with resolution"
        MERGED = "merged", "Merge"
        REQUESTER_REPLY = "requester", "Reply from requester"
        AFTER_CLOSE = "after_close", "Reply after closing"
        REOPENED = "reopened", "Reopened"

    # What the requester wrote (by email, on the page or through My tickets), as opposed to what technicians did.
    REQUESTER_KINDS = (Kind.REQUESTER_REPLY, Kind.AFTER_CLOSE)
    # What the requester and the technicians write to each other; the last one says who is waiting for whom.
    CONVERSATION_KINDS = (Kind.REPLY, Kind.CLOSED, *REQUESTER_KINDS)

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    body = models.TextField(blank=True)
    field_name = models.CharField(max_length=40, blank=True, help_text="For changes: which field.")
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    # A merged ticket's requester the note came from or the reply went to; the ticket's own requester never sees it.
    correspondent = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Named by string: the inbound app builds on tickets, so tickets never imports it.
    original_email = models.ForeignKey(
        "inbound.OriginalEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="For replies by email: the whole message as it arrived, before the quote was cut.",
    )
    is_quote_unseparated = models.BooleanField(
        "quotes not separated",
        default=False,
        help_text="For replies by email: the quoted earlier messages could not be told apart, so the body is the "
        "whole email.",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="ticket_event_timeline_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} on #{self.ticket_id}"

    @property
    def is_public(self) -> bool:
        """Whether the requester was sent this entry."""
        public = (self.Kind.REPLY, self.Kind.CLOSED, self.Kind.MERGED, self.Kind.REQUESTER_REPLY)
        return self.kind in public and not self.correspondent


class CannedResponse(models.Model):
    title = models.CharField(max_length=100, unique=True, help_text="What technicians pick, e.g. “SAM questions”.")
    body = models.TextField(help_text="The reply text; technicians can edit it before sending.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class RequesterSignIn(models.Model):
    """A one-time sign-in link for My tickets; only a hash of its token is stored."""

    email = models.EmailField()
    requested_from = models.GenericIPAddressField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["email", "created_at"], name="signin_email_created_idx"),
            models.Index(fields=["requested_from", "created_at"], name="signin_ip_created_idx"),
        ]

    def __str__(self):
        return f"Sign-in link for {self.email}"


class PendingAddition(models.Model):
    """Add to ticket from a browser not verified for it: added once the requester confirms (token stored hashed)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="pending_additions")
    token_hash = models.CharField(max_length=64, unique=True)
    body = models.TextField()
    files = models.JSONField(default=list, blank=True, help_text="Stored files: path, name, type and size.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"Addition waiting for confirmation on #{self.ticket_id}"


class TicketSeenArticle(models.Model):
    """A help article the requester was shown (or opened) before submitting this ticket anyway: articles that did
    not help. Kept on the tickets side, so helparticles never refers to tickets."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="seen_articles")
    article = models.ForeignKey("helparticles.HelpArticle", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "article"], name="tickets_seen_article_unique")]

    def __str__(self):
        return f"Article {self.article_id} seen before ticket {self.ticket_id}"
