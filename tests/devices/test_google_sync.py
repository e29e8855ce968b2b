"""The Google sync, against recorded Admin SDK answers served on loopback: every page, then no change the second time."""

import json
from datetime import date

import pytest

from devices.google_sync import google_devices_sync
from devices.models import Device, DeviceSync, OrgUnitSchool
from tests.devices.factories import DeviceFactory
from tests.devices.google_directory import LIST_PATH, GoogleDirectory
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db
ADMIN = "helpdesk.admin@northpanolaschools.org"


@pytest.fixture
def google(settings, tmp_path):
    server = GoogleDirectory(admin=ADMIN)
    key = tmp_path / "service-account.json"
    key.write_text(json.dumps(server.key_file_info()))
    settings.GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE = str(key)
    settings.GOOGLE_DEVICES_ADMIN_EMAIL = ADMIN
    settings.GOOGLE_DEVICES_API_URL = server.url + "/"
    yield server
    server.stop()


@pytest.fixture
def schools(db):
    high, green = SchoolFactory(name="Panola High School"), SchoolFactory(name="Green Hill Elementary School")
    OrgUnitSchool.objects.create(org_unit_path="/Students/Panola High", school=high)
    OrgUnitSchool.objects.create(org_unit_path="/Students/Green Hill", school=green)
    OrgUnitSchool.objects.create(org_unit_path="/Staff/Green Hill", school=green)
    return high, green


def test_the_sync_pages_through_all_devices_and_a_second_run_changes_nothing(google, schools):
    run = google_devices_sync(dry_run=False)
    assert (run.new, run.updated, run.unchanged, run.errors, run.failure) == (5, 0, 0, [], "")
    assert [r.get("pageToken", "") for r in google.requests] == ["", "AFXr2-page-2", "AFXr2-page-3"]
    assert all(r["path"] == LIST_PATH and r["projection"] == "FULL" for r in google.requests)
    assert Device.objects.count() == 5
    first = Device.objects.get(serial_number="5CG1111AAA")
    assert (first.asset_tag, first.school, first.room, first.assigned_to, first.kind) == (
        "NP-30001",
        schools[0],
        "Library cart 2",
        "S2001",
        Device.Kind.CHROMEBOOK,
    )
    assert first.auto_update_expires_on == date(2029, 6, 1) and first.os_version == "130.0.6723.126"
    assert Device.objects.get(serial_number="5CG2222BBB").auto_update_expires_on == date(2024, 6, 1)
    assert Device.objects.get(serial_number="5CG3333CCC").status == Device.Status.LOST  # DISABLED
    retired = Device.objects.get(serial_number="5CG4444DDD")
    assert (retired.status, retired.school) == (Device.Status.RETIRED, None)  # /Retired maps to no school
    assert Device.objects.get(serial_number="5CG5555EEE").school == schools[1]
    history = Device.history.count()

    again = google_devices_sync(dry_run=False)
    assert (again.new, again.updated, again.unchanged, again.errors) == (0, 0, 5, [])
    assert Device.history.count() == history
    assert len(google.requests) == 6


def test_a_dry_run_counts_and_changes_nothing(google, schools):
    DeviceFactory(serial_number="5CG1111AAA", asset_tag="NP-30001", model="Old")
    run = google_devices_sync(dry_run=True)
    assert (run.is_dry_run, run.new, run.updated, run.unchanged) == (True, 4, 1, 0)
    assert Device.objects.count() == 1 and Device.objects.get().model == "Old"


def test_the_sync_keeps_local_rooms_notes_and_the_help_desks_status_and_never_deletes(google, schools):
    local = DeviceFactory(
        serial_number="5CG1111AAA", asset_tag="NP-30001", room="Room 9", notes="Cracked hinge", status="in_repair"
    )
    not_in_google = DeviceFactory(asset_tag="NP-1", serial_number="PROJ-1", kind="projector")
    run = google_devices_sync(dry_run=False)
    assert (run.new, run.updated) == (4, 1)
    local.refresh_from_db()
    assert (local.room, local.notes, local.status, local.school) == ("Room 9", "Cracked hinge", "in_repair", schools[0])
    assert Device.objects.filter(pk=not_in_google.pk).exists()


def test_a_google_failure_is_recorded_and_changes_nothing(google, schools):
    google.fail_with = 503
    run = google_devices_sync(dry_run=False)
    assert "Google could not be read, so nothing was changed" in run.failure
    assert Device.objects.count() == 0 and DeviceSync.objects.count() == 1


def test_without_settings_the_sync_says_how_to_set_it_up(settings, db):
    settings.GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE = ""
    run = google_devices_sync(dry_run=False)
    assert "GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE" in run.failure and "docs/deploy.md" in run.failure


def test_deploy_checks_name_a_half_set_up_sync(settings, tmp_path):
    from devices.checks import google_devices_sync_check

    settings.GOOGLE_DEVICES_API_URL = ""
    settings.GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE, settings.GOOGLE_DEVICES_ADMIN_EMAIL = "", ""
    assert google_devices_sync_check(None) == []
    settings.GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE = str(tmp_path / "missing.json")
    assert [p.id for p in google_devices_sync_check(None)] == ["devices.E001", "devices.E002"]
    (tmp_path / "key.json").write_text("{}")
    settings.GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE, settings.GOOGLE_DEVICES_ADMIN_EMAIL = (
        str(tmp_path / "key.json"),
        ADMIN,
    )
    assert google_devices_sync_check(None) == []
