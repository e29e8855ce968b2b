"""The nightly sync of ChromeOS devices from Google Admin (the Admin SDK's Directory API, read-only).

It reads every page of chromeosdevices.list through google-api-python-client, with a service account acting as a
Workspace admin (domain-wide delegation), and hands the devices to devices.registry like an import of Google's
export: the same counts, nothing written on a dry run or when a device conflicts, nothing ever deleted, rooms and
notes typed here kept. Each run is a DeviceSync row (admin: Device syncs).
"""

from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone

from devices.imports import Lookups, RowError, google_fields
from devices.models import DeviceSync
from devices.registry import Incoming, devices_apply, devices_plan

SCOPE = "https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly"
FIELDS = (
    "nextPageToken,chromeosdevices(deviceId,serialNumber,annotatedAssetId,model,orgUnitPath,annotatedUser,"
    "annotatedLocation,status,lastSync,autoUpdateExpiration,autoUpdateThrough,osVersion)"
)
PAGE_SIZE = 200  # the API's maximum for chromeosdevices.list
# The API's names → the export's, which devices.imports reads.
API_FIELDS = {
    "serialNumber": "serial_number",
    "annotatedAssetId": "asset_tag",
    "model": "model",
    "orgUnitPath": "org_unit_path",
    "annotatedUser": "assigned_to",
    "annotatedLocation": "room",
    "status": "google_status",
    "lastSync": "last_sync_at",
    "osVersion": "os_version",
    "deviceId": "google_device_id",
}
NOT_SET_UP = (
    "The Google sync is not set up: set GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE and GOOGLE_DEVICES_ADMIN_EMAIL "
    "(docs/deploy.md, “Google Admin: ChromeOS devices”)."
)


def google_sync_is_set_up() -> bool:
    return bool(settings.GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE and settings.GOOGLE_DEVICES_ADMIN_EMAIL)


def directory_service():
    """The Directory API client, from the service account's key file, acting as the admin."""
    from google.oauth2 import service_account
    from googleapiclient.discovery import build

    credentials = service_account.Credentials.from_service_account_file(
        settings.GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE, scopes=[SCOPE], subject=settings.GOOGLE_DEVICES_ADMIN_EMAIL
    )
    options = {"api_endpoint": settings.GOOGLE_DEVICES_API_URL} if settings.GOOGLE_DEVICES_API_URL else None
    return build(
        "admin",
        "directory_v1",
        credentials=credentials,
        client_options=options,
        cache_discovery=False,
        static_discovery=True,
    )


def google_devices_fetch(service) -> Iterator[dict]:
    """Every ChromeOS device of the customer, page after page."""
    devices = service.chromeosdevices()
    request = devices.list(
        customerId=settings.GOOGLE_DEVICES_CUSTOMER_ID, maxResults=PAGE_SIZE, projection="FULL", fields=FIELDS
    )
    while request is not None:
        response = request.execute(num_retries=2)
        yield from response.get("chromeosdevices", [])
        request = devices.list_next(request, response)


def _cells(device: dict) -> dict[str, str]:
    cells = {name: str(device.get(key) or "").strip() for key, name in API_FIELDS.items()}
    expires = device.get("autoUpdateThrough") or device.get("autoUpdateExpiration") or ""
    cells["auto_update_expires_on"] = str(expires)[:10] if "T" in str(expires) else str(expires)
    return cells


def google_devices_sync(*, dry_run: bool, acting_user=None, service=None) -> DeviceSync:
    """Read Google's devices and apply them (or only count them on a dry run); record the run."""
    if service is None and not google_sync_is_set_up():
        return DeviceSync.objects.create(
            source=DeviceSync.Source.GOOGLE,
            is_dry_run=dry_run,
            started_by=acting_user,
            failure=NOT_SET_UP,
            finished_at=timezone.now(),
        )
    started = timezone.now()
    try:
        api_devices = list(google_devices_fetch(service or directory_service()))
    except Exception as error:  # noqa: BLE001  any failure of Google or the network: recorded, nothing changed
        return DeviceSync.objects.create(
            source=DeviceSync.Source.GOOGLE,
            is_dry_run=dry_run,
            started_by=acting_user,
            started_at=started,
            failure=f"Google could not be read, so nothing was changed: {error}"[:2000],
            finished_at=timezone.now(),
        )
    lookups, rows, errors = Lookups(), [], []
    for number, device in enumerate(api_devices, 1):
        try:
            rows.append(Incoming(line=number, fields=google_fields(_cells(device), lookups), from_google=True))
        except RowError as error:
            errors.append((number, f"{device.get('serialNumber', 'a device')}: {error}"))
    plan = devices_plan(rows, errors=errors)
    run = devices_apply(plan=plan, source=DeviceSync.Source.GOOGLE, dry_run=dry_run, acting_user=acting_user)
    DeviceSync.objects.filter(pk=run.pk).update(started_at=started)
    return run
