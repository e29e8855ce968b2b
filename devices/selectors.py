"""Reads of the device registry: find by tag or serial, the public lookup's few words, loans, the fleet report."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear, Upper
from django.utils import timezone

from devices.models import Device, DeviceSync, Loan

# What a sticker or serial number looks like: one word of letters, digits and - _ . / (a scanner types nothing else).
DEVICE_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{1,59}$")


def _reference_q(upper: str) -> Q:
    # The "not empty" halves let PostgreSQL use the partial unique indexes on UPPER(asset_tag) and UPPER(serial).
    return Q(tag_upper=upper) & ~Q(asset_tag="") | Q(serial_upper=upper) & ~Q(serial_number="")


def device_reference_clean(value: str) -> str:
    return (value or "").strip()[:60]


def device_for_reference(*, reference: str) -> Device | None:
    """The device whose asset tag or serial number is this (case ignored), the tag first; None if unknown."""
    reference = device_reference_clean(reference)
    if not DEVICE_REFERENCE.match(reference):
        return None
    upper = reference.upper()
    found = list(
        Device.objects.annotate(tag_upper=Upper("asset_tag"), serial_upper=Upper("serial_number"))
        .filter(_reference_q(upper))
        .select_related("school")[:2]
    )
    return next((d for d in found if d.asset_tag.upper() == upper), found[0] if found else None)


def device_ids_for_search(*, query: str) -> list[int]:
    """Devices a queue search could mean (its words as a tag or serial): one indexed query, none for prose."""
    query = query.strip()
    if not DEVICE_REFERENCE.match(query) or not any(ch.isdigit() for ch in query):
        return []
    upper = query.upper()
    return list(
        Device.objects.annotate(tag_upper=Upper("asset_tag"), serial_upper=Upper("serial_number"))
        .filter(_reference_q(upper))
        .values_list("pk", flat=True)[:5]
    )


@dataclass(frozen=True)
class PublicDevice:
    """All an anonymous visitor may learn about a device: never who has it, where exactly, or its notes."""

    kind: str
    model: str
    school: str


def device_public_summary(*, reference: str) -> PublicDevice | None:
    device = device_for_reference(reference=reference)
    if device is None:
        return None
    return PublicDevice(
        kind=device.get_kind_display(), model=device.model, school=device.school.name if device.school else ""
    )


def devices_assigned_to(*, person: str) -> list[Device]:
    """The devices assigned to this address (a signed-in requester picks from them)."""
    if not person:
        return []
    return list(Device.objects.filter(assigned_to__iexact=person).exclude(status=Device.Status.RETIRED)[:20])


def loaners_available() -> QuerySet:
    return Device.objects.filter(is_loaner=True, status=Device.Status.IN_SERVICE).select_related("school")


def loans_open() -> QuerySet:
    return Loan.objects.filter(returned_at__isnull=True).select_related("device", "lent_by").order_by("due_on")


def loans_overdue(*, today: date | None = None) -> list[Loan]:
    return list(loans_open().filter(due_on__lt=today or timezone.localdate()))


def loans_for_ticket(*, number: int) -> list[Loan]:
    return list(Loan.objects.filter(ticket_number=number).select_related("device"))


def device_loans(*, device: Device) -> list[Loan]:
    return list(device.loans.select_related("lent_by", "returned_to"))


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    who: str
    what: str


def device_history(*, device: Device, limit: int = 50) -> list[HistoryRow]:
    """Who changed what and when, newest first (django-simple-history's records, compared pairwise)."""
    records = list(device.history.select_related("history_user")[: limit + 1])
    rows = []
    for record, before in zip(records, [*records[1:], None], strict=False):
        user = record.history_user
        who = (user.get_full_name() or user.username) if user else "An import or the Google sync"
        if before is None or record.history_type == "+":
            what = f"Added ({record.get_status_display()})"
        else:
            changes = record.diff_against(before).changes
            what = (
                "; ".join(
                    f"{Device._meta.get_field(c.field).verbose_name} from “{c.old or ''}” to “{c.new or ''}”"
                    for c in changes
                )
                or "Saved without changes"
            )
        rows.append(HistoryRow(at=record.history_date, who=who, what=what))
    return rows[:limit]


def device_syncs_recent(*, limit: int = 20) -> list[DeviceSync]:
    return list(DeviceSync.objects.select_related("started_by")[:limit])


def devices_per_model() -> list[dict]:
    return list(Device.objects.exclude(status=Device.Status.RETIRED).values("kind", "model").annotate(n=Count("pk")))


@dataclass(frozen=True)
class ExpirationTable:
    years: list  # the expiration years found, then None for "not known"
    rows: list[tuple[str, list[int], int]]  # school, a count per year, total


def expiration_table() -> ExpirationTable:
    """Devices in use per school (rows) and auto-update expiration year (columns): what to replace when."""
    counts = devices_by_expiration_year()
    years = sorted({row["year"] for row in counts if row["year"]}) + [None]
    schools: dict[str, dict] = {}
    for row in counts:
        schools.setdefault(row["school__name"] or "No school", {})[row["year"]] = row["count"]
    rows = [
        (school, [by_year.get(year, 0) for year in years], sum(by_year.values()))
        for school, by_year in sorted(schools.items())
    ]
    return ExpirationTable(years=years, rows=rows)


def devices_by_expiration_year() -> list[dict]:
    """Devices still in use, counted per school and auto-update expiration year (replacement planning)."""
    return list(
        Device.objects.exclude(status=Device.Status.RETIRED)
        .annotate(year=ExtractYear("auto_update_expires_on"))
        .values("school__name", "year")
        .annotate(count=Count("pk"))
        .order_by("school__name", "year")
    )
