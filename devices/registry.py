"""One engine for every way devices arrive (a CSV import, a Google export, the Google sync): plan, then apply.

A plan compares each incoming row with the registry: new, updated (which fields) or unchanged. Nothing is written
on a dry run or when any row has an error, so a file either goes in whole or not at all; devices absent from the
incoming rows are never touched, let alone deleted. Google's data never overwrites what only the district knows:
a room or notes typed here, or a status the help desk set (In repair, Loaned out).
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from devices.models import Device, DeviceSync

# What Google's status means here. ACTIVE only brings back a device Google had disabled or deprovisioned: it never
# undoes In repair or Loaned out, which the help desk decides.
GOOGLE_STATUS = {
    "ACTIVE": Device.Status.IN_SERVICE,
    "PROVISIONED": Device.Status.IN_SERVICE,
    "DISABLED": Device.Status.LOST,
    "DEPROVISIONED": Device.Status.RETIRED,
}
GOOGLE_ENDED = (Device.Status.LOST, Device.Status.RETIRED)


@dataclass
class Incoming:
    """One row of a file or one device from Google, as model field values; absent keys are left as they are."""

    line: int
    fields: dict[str, Any]
    from_google: bool = False

    @property
    def name(self) -> str:
        return self.fields.get("asset_tag") or self.fields.get("serial_number") or f"line {self.line}"


@dataclass
class Plan:
    new: list[Device] = field(default_factory=list)
    updated: list[tuple[Device, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def counts(self) -> dict:
        return {"new": len(self.new), "updated": len(self.updated), "unchanged": self.unchanged}

    def summary(self) -> str:
        c = self.counts()
        return f"{c['new']} new, {c['updated']} updated, {c['unchanged']} unchanged, {len(self.errors)} errors"


def _index() -> tuple[dict[str, Device], dict[str, Device]]:
    devices = list(Device.objects.all())
    by_tag = {d.asset_tag.upper(): d for d in devices if d.asset_tag}
    by_serial = {d.serial_number.upper(): d for d in devices if d.serial_number}
    return by_tag, by_serial


def _match(row: Incoming, by_tag: dict, by_serial: dict) -> tuple[Device | None, str]:
    tag = (row.fields.get("asset_tag") or "").upper()
    serial = (row.fields.get("serial_number") or "").upper()
    tagged, serialed = by_tag.get(tag) if tag else None, by_serial.get(serial) if serial else None
    if tagged and serialed and tagged.pk != serialed.pk:
        return None, (
            f"asset tag {row.fields['asset_tag']} belongs to one device and serial number "
            f"{row.fields['serial_number']} to another; correct the row or the devices in admin"
        )
    return tagged or serialed, ""


def _wanted(row: Incoming, device: Device | None) -> dict[str, Any]:
    """The values this row would set, after Google's rules for what the district keeps."""
    wanted = dict(row.fields)
    if not row.from_google:
        return wanted
    status = GOOGLE_STATUS.get(str(wanted.pop("google_status", "")).upper())
    if device is None:
        wanted["status"] = status or Device.Status.IN_SERVICE
    elif status in GOOGLE_ENDED or (status and device.status in GOOGLE_ENDED):
        wanted["status"] = status
    if device is not None and device.room:
        wanted.pop("room", None)  # a room typed here wins over Google's location
    wanted.pop("notes", None)
    return wanted


def _invalid(device: Device) -> str:
    """What is wrong with a device's values (too long, not a choice), in words for the row's error; "" if nothing."""
    try:
        device.clean_fields(exclude=["school"])
    except ValidationError as error:
        return "; ".join(
            f"{Device._meta.get_field(name).verbose_name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
    return ""


def devices_plan(rows: list[Incoming], *, errors: list[tuple[int, str]] = ()) -> Plan:
    """Compare the rows with the registry; `errors` are the rows that could not even be read."""
    plan = Plan(errors=list(errors))
    by_tag, by_serial = _index()
    seen: dict[str, int] = {}
    for row in rows:
        keys = [f"{name}:{row.fields[name].upper()}" for name in ("asset_tag", "serial_number") if row.fields.get(name)]
        repeated = next((seen[key] for key in keys if key in seen), None)
        if repeated is not None:
            plan.errors.append((row.line, f"{row.name} is also on line {repeated}; keep one row per device"))
            continue
        seen.update({key: row.line for key in keys})
        device, problem = _match(row, by_tag, by_serial)
        if problem:
            plan.errors.append((row.line, problem))
            continue
        wanted = _wanted(row, device)
        target = device or Device(**wanted)
        changed = [name for name, value in wanted.items() if value not in (None, "") and getattr(target, name) != value]
        for name in changed:
            setattr(target, name, wanted[name])
        if problem := _invalid(target):
            plan.errors.append((row.line, problem))
        elif device is None:
            plan.new.append(target)
        elif changed:
            plan.updated.append((device, changed))
        else:
            plan.unchanged += 1
    plan.errors.sort()
    return plan


@transaction.atomic
def devices_apply(*, plan: Plan, source: str, dry_run: bool, acting_user=None) -> DeviceSync:
    """Write the plan unless it is a dry run or has errors; record the run either way."""
    run = DeviceSync(source=source, is_dry_run=dry_run, started_by=acting_user, **plan.counts())
    run.errors = [{"line": line, "reason": reason} for line, reason in plan.errors]
    if not dry_run and not plan.errors:
        for device in plan.new:
            device._history_user = acting_user
            device.full_clean()
            device.save()
        for device, changed in plan.updated:
            device._history_user = acting_user
            device.save(update_fields=changed)
    run.finished_at = timezone.now()
    run.save()
    return run
