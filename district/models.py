"""What the district is made of: its schools, the types of request, the help desk's settings and the priority levels.

The tables keep their first names (tickets_school, ...): the models moved here from tickets in state only
(tickets migration 0020), so tickets and routing can both use them without using each other.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models


class School(models.Model):
    name = models.CharField(max_length=120, unique=True)
    is_active = models.BooleanField(default=True, help_text="Untick to retire a school: it leaves the ticket form.")
    order = models.PositiveIntegerField(default=100, help_text="Lower numbers are listed first on the form.")
    technicians = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="covered_schools",
        help_text="The technicians who cover this school: they hear about its urgent tickets and its requesters' "
        "replies when nobody is assigned. A school with nobody here goes to every technician.",
    )

    class Meta:
        ordering = ["order", "name"]
        db_table = "tickets_school"

    def __str__(self):
        return self.name


class TicketType(models.Model):
    name = models.CharField(max_length=80, unique=True)
    is_active = models.BooleanField(default=True, help_text="Untick to hide this type from the ticket form.")
    is_about_testing = models.BooleanField(
        default=False, help_text="Tickets of this type go to the top of the queue while a testing window is open."
    )
    order = models.PositiveIntegerField(default=100, help_text="Lower numbers are listed first on the form.")

    class Meta:
        ordering = ["order", "name"]
        db_table = "tickets_tickettype"

    def __str__(self):
        return self.name


class Priority(models.IntegerChoices):
    """How soon a ticket needs work; a routing rule can set it."""

    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"
    URGENT = 4, "Urgent"


class HelpDeskSettings(models.Model):
    """Choices the department makes about email behaviour; one row, edited in admin."""

    class ClosedReply(models.TextChoices):
        ANSWER = "answer", "Record it and answer with a Reopen this ticket link (recommended)"
        NEVER = "never", "Record it and answer; never reopen"
        WITHIN_DAYS = "within_days", "Reopen when the ticket closed within the days below, else answer"
        ALWAYS = "always", "Always reopen the ticket"

    closed_reply = models.CharField(
        "when a requester replies to a closed ticket",
        max_length=12,
        choices=ClosedReply.choices,
        default=ClosedReply.ANSWER,
        help_text="Short thank-you notes are only recorded, whatever is chosen here.",
    )
    reopen_within_days = models.PositiveSmallIntegerField(default=7)
    waiting_reminder_business_days = models.PositiveSmallIntegerField(
        default=3, help_text="Remind the requester when a ticket has waited on them this many business days."
    )
    waiting_close_business_days = models.PositiveSmallIntegerField(
        default=5,
        help_text="Close the ticket this many business days after the reminder if they still have not answered.",
    )
    quote_valid_days = models.PositiveSmallIntegerField(
        "quotes are valid for (days)",
        default=30,
        validators=[MinValueValidator(1)],
        help_text="How long a vendor's quote holds after it is sent. The policy page, the quote form and the "
        "emails say this number, and reminders count from it.",
    )
    quote_reminder_days_before = models.PositiveSmallIntegerField(
        "remind requesters this many days before a quote expires",
        default=5,
        validators=[MinValueValidator(1)],
        help_text="Requesters get one email this many days before their quote stops being valid. Keep it smaller "
        "than the number of days quotes are valid.",
    )
    outage_ticket_count = models.PositiveSmallIntegerField(
        "possible outage: tickets",
        default=3,
        validators=[MinValueValidator(2)],
        help_text="The queue shows Possible outage when this many open tickets of the same type at the same school "
        "arrive within the minutes below.",
    )
    outage_window_minutes = models.PositiveSmallIntegerField(
        "possible outage: within (minutes)",
        default=30,
        validators=[MinValueValidator(1)],
        help_text="How close together those tickets must arrive.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "help desk settings"
        db_table = "tickets_helpdesksettings"

    def __str__(self):
        return "Help desk settings"

    def clean(self):
        if self.quote_reminder_days_before and self.quote_reminder_days_before >= (self.quote_valid_days or 0):
            raise ValidationError(
                {"quote_reminder_days_before": "Enter fewer days than quotes are valid, so the reminder comes first."}
            )

    @classmethod
    def load(cls) -> "HelpDeskSettings":
        return cls.objects.get_or_create(pk=1)[0]
