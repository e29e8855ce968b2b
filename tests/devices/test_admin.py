"""Admin: import a device file with a preview first; Sync now from the sync history."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from devices.models import Device, DeviceSync, OrgUnitSchool
from tests.devices.google_directory import GoogleDirectory
from tests.devices.test_imports import DISTRICT_CSV, GOOGLE_CSV
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db
IMPORT_URL = "/admin/devices/device/import/"


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@northpanolaschools.org", "pw")
    client.force_login(admin)
    return client


@pytest.fixture
def schools(db):
    return SchoolFactory(name="Panola High School"), SchoolFactory(name="Green Hill Elementary School")


def upload(text: str, name="devices.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_the_preview_shows_what_would_change_and_import_saves_it(admin_client, schools):
    assert "Import devices from a file" in admin_client.get("/admin/devices/device/").content.decode()
    preview = admin_client.post(IMPORT_URL, {"file": upload(DISTRICT_CSV)}).content.decode()
    assert "3 new, 0 updated, 0 unchanged, 0 errors" in preview and "NP-20002: Projector" in preview
    assert Device.objects.count() == 0
    token = preview.split('name="confirm" value="')[1].split('"')[0]
    response = admin_client.post(IMPORT_URL, {"confirm": token})
    assert response.status_code == 302
    assert Device.objects.count() == 3
    assert Device.history.filter(history_user__username="root").count() == 3
    again = admin_client.post(IMPORT_URL, {"file": upload(DISTRICT_CSV)}).content.decode()
    assert "0 new, 0 updated, 3 unchanged" in again and "nothing to import" in again


def test_a_file_with_a_bad_line_cannot_be_imported(admin_client, schools):
    bad = DISTRICT_CSV + "NP-9,S9,Toaster,,,,,\n"
    preview = admin_client.post(IMPORT_URL, {"file": upload(bad)}).content.decode()
    assert "Line 5: kind “Toaster” is not one of" in preview and "Import these devices" not in preview
    assert Device.objects.count() == 0


def test_a_google_export_preview_uses_the_org_unit_mapping(admin_client, schools):
    OrgUnitSchool.objects.create(org_unit_path="/Students/Panola High", school=schools[0])
    preview = admin_client.post(IMPORT_URL, {"file": upload(GOOGLE_CSV)}).content.decode()
    assert "NP-30001: Chromebook, Acer Chromebook 311, Panola High School" in preview


def test_sync_now_runs_the_google_sync_and_lists_it(admin_client, schools, settings, tmp_path):
    server = GoogleDirectory(admin="helpdesk.admin@northpanolaschools.org")
    try:
        key = tmp_path / "key.json"
        key.write_text(json.dumps(server.key_file_info()))
        settings.GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE = str(key)
        settings.GOOGLE_DEVICES_ADMIN_EMAIL = "helpdesk.admin@northpanolaschools.org"
        settings.GOOGLE_DEVICES_API_URL = server.url + "/"
        page = admin_client.get("/admin/devices/devicesync/").content.decode()
        assert "Sync now from Google" in page
        admin_client.post("/admin/devices/devicesync/sync-now/", {"dry_run": "yes"})
        dry = DeviceSync.objects.get()
        assert (dry.is_dry_run, dry.new, dry.started_by.username) == (True, 5, "root")
        assert Device.objects.count() == 0
        response = admin_client.post("/admin/devices/devicesync/sync-now/", follow=True)
        assert "The sync has started" in response.content.decode()
        assert Device.objects.count() == 5
    finally:
        server.stop()


def test_sync_now_without_settings_says_what_to_do(admin_client, settings):
    settings.GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE = ""
    response = admin_client.post("/admin/devices/devicesync/sync-now/", follow=True)
    assert "The Google sync is not set up yet" in response.content.decode()
    assert DeviceSync.objects.count() == 0


def test_a_view_only_staff_user_sees_the_sync_history_but_cannot_sync(
    client, django_user_model, schools, settings, tmp_path
):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", "viewer@northpanolaschools.org", "pw", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename__in=["view_devicesync", "view_device"]))
    client.force_login(viewer)
    server = GoogleDirectory(admin="helpdesk.admin@northpanolaschools.org")
    try:
        key = tmp_path / "key.json"
        key.write_text(json.dumps(server.key_file_info()))
        settings.GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE = str(key)
        settings.GOOGLE_DEVICES_ADMIN_EMAIL = "helpdesk.admin@northpanolaschools.org"
        settings.GOOGLE_DEVICES_API_URL = server.url + "/"
        page = client.get("/admin/devices/devicesync/")
        assert page.status_code == 200 and "Sync now from Google" not in page.content.decode()
        assert client.post("/admin/devices/devicesync/sync-now/").status_code == 403
        assert client.post("/admin/devices/devicesync/sync-now/", {"dry_run": "yes"}).status_code == 403
        assert client.get("/admin/devices/devicesync/sync-now/").status_code == 403
    finally:
        server.stop()
    assert DeviceSync.objects.count() == 0 and Device.objects.count() == 0
