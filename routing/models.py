"""Policy as data: who handles what, which requests go elsewhere, the district calendar and the staff directory."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from district.models import Priority
from district.storage import attachment_storage
from helpdesk.email_address import normalize_email
from routing.matching import keyword_lines, pattern_problem
from routing.placeholders import placeholders_fill, placeholders_problem
from routing.roles import BUILDING_ADMINISTRATOR_ROLES, Role  # noqa: F401  re-exported


class Contact(models.Model):
    """A person, mailbox or desk that handles some requests instead of the technology help desk."""

    name = models.CharField(max_length=120, unique=True, help_text="As people know it, e.g. “Towanda Mangrum”.")
    email = models.EmailField(blank=True, help_text="Where requests are sent. Leave blank for a desk with only a link.")
    phone = models.CharField(max_length=40, blank=True)
    url = models.URLField("link", blank=True, help_text="A web page where people make the request, if there is one.")
    handles = models.TextField(
        blank=True, help_text="What this contact handles, in a sentence people will read (lead times come from rules)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class RoutingRule(models.Model):
    class Action(models.TextChoices):
        REDIRECT_PERSON = "person", "Stop: send the request to a person (no ticket)"
        REDIRECT_DESK = "desk", "Stop: send the person to another desk's page (no ticket)"
        EXPLAIN = "explain", "Stop: explain why the department cannot help (no ticket)"
        REQUEST_FORM = "form", "Stop: open a request form (no ticket)"
        CHANGE = "change", "Let the ticket through, but change its priority or add a note"
        REQUIRE_ROLE = "role", "Accept only from certain roles; tell others whom to ask"

    class RequestForm(models.TextChoices):
        MASS_EMAIL = "mass_email", "Mass email request"
        MEDIA = "media", "Media request"
        QUOTE = "quote", "Quote request"

    class PolicySection(models.TextChoices):
        """Parts of the Help desk policy page that show a rule's contact or message; request forms have theirs."""

        SAM = "sam", "SAM Spectra 7"
        ACTIVE_RESOURCES = "active_resources", "Active Resources"
        TESTING = "testing", "Testing windows"
        ACCESS_LEVELS = "access_levels", "Instructional programs (access levels)"
        MAINTENANCE = "maintenance", "Maintenance help desk"
        PURCHASES = "purchases", "Equipment purchases"
        PERSONAL_DEVICES = "personal_devices", "Personal devices"

    name = models.CharField(max_length=100, unique=True, help_text="For admins, e.g. “SAM password resets”.")
    is_active = models.BooleanField("active", default=True)
    order = models.PositiveIntegerField(default=100, help_text="Lower numbers are checked first; the first match wins.")
    ticket_types = models.ManyToManyField(
        "district.TicketType",
        blank=True,
        help_text="Only requests of these types. Leave empty for any type. With keywords too, both must match.",
    )
    keywords = models.TextField(
        blank=True,
        help_text=(
            "One word or phrase per line, matched as whole words; case is ignored. Write a word in CAPITALS "
            "(like SAM) to match it only when typed in capitals, so “Sam Jones” does not match. End a word with * "
            "to match its other endings (leak* matches leaks and leaking)."
        ),
    )
    unless_keywords = models.TextField(
        "unless these appear",
        blank=True,
        help_text="One word or phrase per line. The rule does not fire when any of them is in the request.",
    )
    pattern = models.CharField(
        "regular expression",
        max_length=500,
        blank=True,
        help_text=(
            "Optional, for experts: a regular expression searched in the subject and description, case ignored. "
            "RE2 syntax (like Python's, without backreferences or look-ahead/look-behind); \\w and \\b mean "
            "ASCII letters and digits."
        ),
    )
    only_during_testing = models.BooleanField(
        default=False, help_text="Apply only while a testing window is open for the school chosen."
    )
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.REDIRECT_PERSON)
    contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rules",
        help_text="Who handles these requests instead. Needed to send to a person, a desk or a request form.",
    )
    message = models.TextField(
        help_text="What the person reads, in one or two plain sentences: why, and where to go instead. Write "
        "{contact}, {email} or {days} for the contact's name, the contact's email address or the lead time: they "
        "are filled in for you, so the message stays right when those change."
    )
    allow_override = models.BooleanField(
        "allow “My request is different”",
        default=True,
        help_text="Let the person submit a ticket anyway when the rule misfired. Technicians see that they did.",
    )
    raise_priority_to = models.PositiveSmallIntegerField(
        choices=Priority.choices,
        null=True,
        blank=True,
        help_text="For “let the ticket through”: the priority the ticket gets at least.",
    )
    technician_note = models.TextField(
        blank=True, help_text="For “let the ticket through”: a note technicians see on the ticket."
    )
    request_form = models.CharField(
        max_length=20, choices=RequestForm.choices, blank=True, help_text="For “open a request form”: which form."
    )
    lead_business_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For request forms: how many business days before the event a request must come in.",
    )
    allowed_roles = models.CharField(
        max_length=200,
        blank=True,
        help_text="For “accept only from certain roles” and the quote form: the roles allowed, separated by commas.",
    )
    policy_section = models.CharField(
        "section of the policy page",
        max_length=20,
        choices=PolicySection.choices,
        blank=True,
        help_text="Which part of the Help desk policy page shows this rule's contact or message. Leave empty and an "
        "active rule that stops tickets is listed under “Other requests that go elsewhere”.",
    )
    history = HistoricalRecords(m2m_fields=[ticket_types])

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.pattern:
            problem = pattern_problem(self.pattern)
            if problem:
                errors["pattern"] = problem
        for field in ("keywords", "unless_keywords"):
            try:
                keyword_lines(getattr(self, field))
            except ValueError as exc:
                errors[field] = str(exc)
        needs = {
            self.Action.REDIRECT_PERSON: ("contact", "Choose the person to send these requests to."),
            self.Action.REDIRECT_DESK: ("contact", "Choose the desk to send people to."),
            self.Action.REQUEST_FORM: ("request_form", "Choose which request form to open."),
            self.Action.REQUIRE_ROLE: ("allowed_roles", "Enter the roles that may make this request."),
        }
        if self.action in needs:
            field, problem = needs[self.action]
            if not getattr(self, f"{field}_id" if field == "contact" else field):
                errors[field] = problem
        if self.request_form in (self.RequestForm.MASS_EMAIL, self.RequestForm.MEDIA) and not self.lead_business_days:
            errors["lead_business_days"] = (
                "Enter how many business days before the event a request must come in, for example 7."
            )
        if self.action == self.Action.CHANGE and not (self.raise_priority_to or self.technician_note.strip()):
            errors["raise_priority_to"] = "Choose a priority or write a note for technicians, or both."
        if self.action == self.Action.REDIRECT_PERSON and self.contact_id and not self.contact.email:
            errors["contact"] = "This contact has no email address to send requests to. Add one, or choose a desk."
        if (
            self.action == self.Action.REDIRECT_DESK
            and self.contact_id
            and not (self.contact.url or self.contact.email)
        ):
            errors["contact"] = "This desk has no link or email address. Add one to the contact first."
        message_problem = placeholders_problem(self.message, self.placeholder_values())
        if message_problem:
            errors["message"] = message_problem
        unknown = set(self.allowed_role_list()) - set(Role.values)
        if unknown:
            errors["allowed_roles"] = f"Unknown roles: {', '.join(sorted(unknown))}. Use: {', '.join(Role.values)}."
        if errors:
            raise ValidationError(errors)

    def allowed_role_list(self) -> list[str]:
        return [role.strip().lower() for role in self.allowed_roles.split(",") if role.strip()]

    def placeholder_values(self) -> dict[str, str]:
        contact = self.contact if self.contact_id else Contact()
        return {"contact": contact.name, "email": contact.email, "days": str(self.lead_business_days or "")}

    @property
    def shown_message(self) -> str:
        """The message as people read it, with the contact's current name, address and lead time filled in."""
        return placeholders_fill(self.message, self.placeholder_values())

    @property
    def stops_ticket(self) -> bool:
        return self.action != self.Action.CHANGE


class RuleSetVersion(models.Model):
    """One row whose stamp changes whenever rules change; every process reloads its cached rules when it does."""

    stamp = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Routing rules changed {self.changed_at:%Y-%m-%d %H:%M:%S}"


class TestingWindow(models.Model):
    __test__ = False  # not a pytest test class

    name = models.CharField(max_length=120, help_text="E.g. “Spring state testing”.")
    starts_at = models.DateTimeField(help_text="When streaming is turned off.")
    ends_at = models.DateTimeField(help_text="When the window closes and streaming comes back on.")
    schools = models.ManyToManyField("district.School", blank=True, help_text="Leave empty for every school.")
    message = models.TextField(
        blank=True, help_text="Shown in the banner and receipts, e.g. which tests are on. Dates are added for you."
    )
    reminder_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When staff were emailed about this window. Clear it to send again."
    )
    history = HistoricalRecords(m2m_fields=[schools])

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="testing_window_ends_after_start")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The window must end after it starts."})


class ClosedDay(models.Model):
    """A day the district is closed (holiday, break): not a business day."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120, help_text="E.g. “Thanksgiving” or “Spring break”.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%b %-d, %Y}: {self.name}"


class StaffMember(models.Model):
    """The staff directory: who works where, in which role (imported with `manage.py import_staff`)."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.STAFF)
    school = models.ForeignKey("district.School", on_delete=models.PROTECT, null=True, blank=True)
    is_active = models.BooleanField("active", default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "staff member"
        indexes = [models.Index(Lower("email"), name="staff_email_lower_idx")]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)


class DeflectionLog(models.Model):
    """One request a rule handled, and what the person did next (for reports)."""

    class Outcome(models.TextChoices):
        SHOWN = "shown", "Read the message (nothing else yet)"
        FORWARDED = "forwarded", "Had it sent to the contact"
        OVERRIDDEN = "overridden", "Said the request is different and submitted a ticket"
        FORM_OPENED = "form_opened", "Opened the request form"
        FORM_SENT = "form_sent", "Sent the request form"
        TICKET_CHANGED = "ticket_changed", "Ticket created, with the rule's change"

    public_id = models.UUIDField(unique=True, editable=False)
    rule = models.ForeignKey(RoutingRule, on_delete=models.SET_NULL, null=True, related_name="deflections")
    rule_name = models.CharField(max_length=100, help_text="The rule's name at the time, kept if the rule is deleted.")
    matched = models.CharField(max_length=200, blank=True, help_text="The word or type that matched.")
    requester_email = models.EmailField()
    school = models.ForeignKey("district.School", on_delete=models.SET_NULL, null=True, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.SHOWN)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["rule", "created_at"]), models.Index(fields=["outcome", "created_at"])]

    def __str__(self):
        return f"{self.rule_name}: {self.requester_email} ({self.get_outcome_display()})"


def request_file_storage():
    return attachment_storage()


def request_file_path(instance: "ServiceRequestFile", filename: str) -> str:
    """Store under a random name, so nothing the requester typed reaches the file system."""
    return f"requests/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ServiceRequest(models.Model):
    """A mass email, media or quote request sent to its mailbox; admins see every one here."""

    Kind = RoutingRule.RequestForm

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    requester_email = models.EmailField("requester")
    mailbox = models.EmailField(help_text="Where the request was sent.")
    school = models.ForeignKey("district.School", on_delete=models.PROTECT, null=True, blank=True)
    event_name = models.CharField(max_length=200, blank=True)
    event_date = models.DateField(null=True, blank=True)
    event_time = models.TimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    fee = models.CharField(max_length=100, blank=True)
    needs = models.CharField("what is needed", max_length=100, blank=True)
    details = models.TextField(blank=True)
    items = models.TextField("items and quantities", blank=True)
    purpose = models.TextField(blank=True)
    late_acknowledged = models.BooleanField(
        default=False, help_text="The requester accepted that a late media request cannot be guaranteed."
    )
    deflection = models.ForeignKey(DeflectionLog, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    quote_sent_at = models.DateField(
        "quote sent on",
        null=True,
        blank=True,
        help_text="For quotes: the day the quote went to the requester. How long quotes are valid, and when the "
        "requester is reminded, are set in Help desk settings.",
    )
    quote_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "request (mass email, media, quote)"
        verbose_name_plural = "requests (mass email, media, quote)"

    def __str__(self):
        return f"{self.get_kind_display()} from {self.requester_email}"


class ServiceRequestFile(models.Model):
    """A file sent with a request form, or with a request forwarded to a rule's contact ("Send this … for me")."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="files", null=True, blank=True)
    deflection = models.ForeignKey(DeflectionLog, on_delete=models.CASCADE, related_name="files", null=True, blank=True)
    file = models.FileField(upload_to=request_file_path, storage=request_file_storage, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.original_name
