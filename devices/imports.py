"""Read a device file: the district's CSV (`Asset tag`, `Serial number`, `Kind`, ...) or Google Admin's ChromeOS
export (serial number, asset ID, org unit path, ...), into rows for devices.registry."""

import csv
import io
import re
from datetime import UTC, date, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from devices.models import Device, DeviceSync, OrgUnitSchool
from devices.registry import Incoming, Plan, devices_apply, devices_plan
from district.models import School

DISTRICT_HEADERS = {
    "assettag": "asset_tag",
    "serialnumber": "serial_number",
    "kind": "kind",
    "model": "model",
    "school": "school",
    "room": "room",
    "assignedto": "assigned_to",
    "status": "status",
}
# Google Admin's export names its columns in several ways over the years; all of these are read.
GOOGLE_HEADERS = {
    "serialnumber": "serial_number",
    "assetid": "asset_tag",
    "annotatedassetid": "asset_tag",
    "model": "model",
    "orgunitpath": "org_unit_path",
    "annotateduser": "assigned_to",
    "user": "assigned_to",
    "location": "room",
    "annotatedlocation": "room",
    "status": "google_status",
    "lastsync": "last_sync_at",
    "autoupdateexpiration": "auto_update_expires_on",
    "autoupdateexpirationdate": "auto_update_expires_on",
    "osversion": "os_version",
    "deviceid": "google_device_id",
}
MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


class RowError(ValueError):
    """A cell that cannot be read; the message says what to write instead."""


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (header or "").lower())


def read_expiration(value: str) -> date | None:
    """Google's auto-update expiration: "2029-06", "2029-06-01", "Jun 2029" or milliseconds since 1970."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit() and len(value) >= 10:
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC).date().replace(day=1)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", value):
        return date(int(m[1]), int(m[2]), 1)
    if m := re.fullmatch(r"([A-Za-z]{3})[a-z]*\.? (\d{4})", value):
        if m[1].lower() in MONTHS:
            return date(int(m[2]), MONTHS[m[1].lower()], 1)
    raise RowError(f"auto-update expiration “{value}” is not a date; write it like 2029-06")


def read_last_sync(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    parsed = parse_datetime(value.replace("Z", "+00:00"))
    if parsed is None:
        raise RowError(f"last sync “{value}” is not a date and time; write it like 2026-11-30T14:05:00Z")
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def _choice(value: str, choices, what: str) -> str:
    wanted = _key(value)
    for stored, label in choices:
        if wanted in (_key(stored), _key(label)):
            return stored
    raise RowError(f"{what} “{value}” is not one of: {', '.join(label for _, label in choices)}")


class Lookups:
    """Schools by name and org units by path, read once per file."""

    def __init__(self):
        self.schools = {s.name.lower(): s for s in School.objects.all()}
        self.org_units = sorted(OrgUnitSchool.objects.select_related("school"), key=lambda o: -len(o.org_unit_path))

    def school(self, name: str) -> School:
        school = self.schools.get(name.strip().lower())
        if school is None:
            raise RowError(f"school “{name}” is not a school in admin; use its name exactly as admin shows it")
        return school

    def school_for_org_unit(self, path: str) -> School | None:
        path = path.strip().rstrip("/").lower()
        for unit in self.org_units:  # the longest matching path wins, so a sub-unit can map elsewhere
            unit_path = unit.org_unit_path.rstrip("/").lower()
            if path == unit_path or path.startswith(unit_path + "/"):
                return unit.school
        return None


def _district_fields(cells: dict[str, str], lookups: Lookups) -> dict:
    fields = {name: value for name, value in cells.items() if name not in ("kind", "school", "status")}
    if cells.get("kind"):
        fields["kind"] = _choice(cells["kind"], Device.Kind.choices, "kind")
    if cells.get("status"):
        fields["status"] = _choice(cells["status"], Device.Status.choices, "status")
    if cells.get("school"):
        fields["school"] = lookups.school(cells["school"])
    return fields


def google_fields(cells: dict[str, str], lookups: Lookups) -> dict:
    """Model values of one Google device (a CSV row or an API answer translated to the export's names)."""
    fields = {
        name: cells[name]
        for name in ("serial_number", "asset_tag", "model", "assigned_to", "room", "os_version", "google_device_id")
        if cells.get(name)
    }
    fields["kind"] = Device.Kind.CHROMEBOOK
    fields["google_status"] = cells.get("google_status", "")
    if cells.get("org_unit_path"):
        school = lookups.school_for_org_unit(cells["org_unit_path"])
        if school is not None:
            fields["school"] = school
    if value := read_last_sync(cells.get("last_sync_at", "")):
        fields["last_sync_at"] = value
    if value := read_expiration(cells.get("auto_update_expires_on", "")):
        fields["auto_update_expires_on"] = value
    return fields


def _rows(text: str) -> tuple[list[Incoming], list[tuple[int, str]], str]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = {_key(h): h for h in reader.fieldnames or []}
    is_google = "orgunitpath" in headers or "assetid" in headers or "annotatedassetid" in headers
    names = GOOGLE_HEADERS if is_google else DISTRICT_HEADERS
    if not is_google and not {"assettag", "serialnumber"} & set(headers):
        return [], [(1, "the first line must name the columns: Asset tag, Serial number, Kind, Model, ...")], ""
    lookups, rows, errors = Lookups(), [], []
    for raw in reader:
        cells = {names[_key(h)]: (v or "").strip() for h, v in raw.items() if h is not None and _key(h) in names}
        if not any(cells.values()):
            continue
        try:
            if not cells.get("asset_tag") and not cells.get("serial_number"):
                raise RowError("the row has neither an asset tag nor a serial number")
            fields = google_fields(cells, lookups) if is_google else _district_fields(cells, lookups)
        except RowError as error:
            errors.append((reader.line_num, str(error)))
            continue
        rows.append(Incoming(line=reader.line_num, fields=fields, from_google=is_google))
    return rows, errors, DeviceSync.Source.GOOGLE_CSV if is_google else DeviceSync.Source.CSV


def devices_import(*, text: str, dry_run: bool, acting_user=None) -> tuple[Plan, DeviceSync]:
    """Read a device file and apply it whole, or not at all when a row is wrong or on a dry run."""
    rows, errors, source = _rows(text)
    plan = devices_plan(rows, errors=errors)
    source = source or DeviceSync.Source.CSV
    return plan, devices_apply(plan=plan, source=source, dry_run=dry_run, acting_user=acting_user)
