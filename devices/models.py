"""The device registry, the org unit → school mapping, loans, and the Google sync history."""

from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from simple_history.models import HistoricalRecords

from district.models import School
from helpdesk.links import link


class Device(models.Model):
    class Kind(models.TextChoices):
        CHROMEBOOK = "chromebook", "Chromebook"
        LAPTOP = "laptop", "Laptop"
        DESKTOP = "desktop", "Desktop"
        TABLET = "tablet", "Tablet"
        PROJECTOR = "projector", "Projector"
        PRINTER = "printer", "Printer"
        DOCUMENT_CAMERA = "document_camera", "Document camera"
        INTERACTIVE_DISPLAY = "interactive_display", "Interactive display"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", "In service"
        IN_REPAIR = "in_repair", "In repair"
        LOANED_OUT = "loaned_out", "Loaned out"
        LOST = "lost", "Lost"
        RETIRED = "retired", "Retired"

    asset_tag = models.CharField(
        max_length=40, blank=True, help_text="The number on the district's sticker. Leave empty if it has none."
    )
    serial_number = models.CharField(max_length=60, blank=True, help_text="The maker's serial number.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CHROMEBOOK)
    model = models.CharField(max_length=120, blank=True, help_text="For example “Dell Chromebook 3110”.")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    room = models.CharField(max_length=40, blank=True)
    assigned_to = models.CharField(
        max_length=254,
        blank=True,
        help_text="A staff email address or a student ID. Shown only to technicians, never on public pages.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_SERVICE)
    is_loaner = models.BooleanField(default=False, help_text="Tick for devices kept to lend while another is repaired.")
    notes = models.TextField(blank=True)
    os_version = models.CharField("OS version", max_length=40, blank=True)
    last_sync_at = models.DateTimeField("last sync", null=True, blank=True, help_text="ChromeOS: last check-in.")
    auto_update_expires_on = models.DateField(
        "auto-update expiration", null=True, blank=True, help_text="ChromeOS: the month Google stops updates."
    )
    google_device_id = models.CharField(max_length=80, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["asset_tag", "serial_number"]
        constraints = [
            models.UniqueConstraint(
                Upper("asset_tag"), condition=~models.Q(asset_tag=""), name="device_asset_tag_unique"
            ),
            models.UniqueConstraint(
                Upper("serial_number"), condition=~models.Q(serial_number=""), name="device_serial_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(asset_tag="", serial_number=""), name="device_has_tag_or_serial"
            ),
        ]

    def __str__(self):
        label = self.asset_tag or self.serial_number
        return f"{label} ({self.get_kind_display()}{', ' + self.model if self.model else ''})"

    def get_absolute_url(self):
        return link("tickets:device", self.pk)

    @property
    def label(self) -> str:
        return self.asset_tag or self.serial_number


class OrgUnitSchool(models.Model):
    """Google Admin's org unit path → the school its devices belong to (edited in admin)."""

    org_unit_path = models.CharField(
        max_length=200,
        unique=True,
        help_text="As Google Admin shows it, e.g. “/Students/Panola High”. Devices in sub-units match too.",
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["org_unit_path"]
        verbose_name = "org unit → school"
        verbose_name_plural = "org units → schools"

    def __str__(self):
        return f"{self.org_unit_path} → {self.school}"


class Loan(models.Model):
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="loans")
    borrower = models.CharField(max_length=254, help_text="The borrower's district email address or student ID.")
    borrower_email = models.EmailField(blank=True, help_text="Where the due-date reminder goes.")
    # The ticket's number, not a key: devices sits below tickets and knows nothing of them.
    ticket_number = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    lent_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    lent_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField()
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_to = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-lent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"], condition=models.Q(returned_at__isnull=True), name="device_one_open_loan"
            )
        ]

    def __str__(self):
        return f"{self.device.label} to {self.borrower}"

    @property
    def is_overdue(self) -> bool:
        return self.returned_at is None and self.due_on < timezone.localdate()


class DeviceSync(models.Model):
    """One run of the Google sync or an import: what it found, and whether it changed anything."""

    class Source(models.TextChoices):
        GOOGLE = "google", "Google Admin sync"
        CSV = "csv", "CSV import"
        GOOGLE_CSV = "google_csv", "Google export import"

    source = models.CharField(max_length=12, choices=Source.choices)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    is_dry_run = models.BooleanField(default=False)
    new = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True, help_text="Why the run stopped, if it did.")
    started_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "device sync"

    def __str__(self):
        return f"{self.get_source_display()} {self.started_at:%Y-%m-%d %H:%M}"
