"""manage.py import_devices: both file formats, all or nothing, the same file twice changes nothing."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from devices.models import Device, DeviceSync, OrgUnitSchool
from tests.devices.factories import DeviceFactory
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

DISTRICT_CSV = """Asset tag,Serial number,Kind,Model,School,Room,Assigned to,Status
NP-20001,5CD0001,Chromebook,Dell Chromebook 3110,Panola High School,104,jordan.price@northpanolaschools.org,In service
NP-20002,5CD0002,Projector,Epson BrightLink 685Wi,Panola High School,210,,In repair
NP-20003,5CD0003,laptop,HP ProBook 440,Green Hill Elementary School,Office,S1029384,in service
"""

GOOGLE_CSV = """deviceId,serialNumber,annotatedAssetId,model,orgUnitPath,annotatedUser,annotatedLocation,status,lastSync,autoUpdateExpiration,osVersion
a1,5CG1111,NP-30001,Acer Chromebook 311,/Students/Panola High/Grade 9,S2001,Library,ACTIVE,2026-11-30T14:05:00.000Z,2029-06,128.0.6613.133
a2,5CG2222,NP-30002,Acer Chromebook 311,/Staff/Green Hill,teacher@northpanolaschools.org,,ACTIVE,2026-11-29T08:00:00Z,2028-06,128.0.6613.133
a3,5CG3333,,Lenovo 100e,/Unmapped,,,DEPROVISIONED,,Jun 2027,
"""


@pytest.fixture
def schools(db):
    return SchoolFactory(name="Panola High School"), SchoolFactory(name="Green Hill Elementary School")


def write(tmp_path, text, name="devices.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def run(path, *args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_devices", path, *args, stdout=out)
    return out.getvalue()


def test_district_csv_imports_and_the_same_file_twice_changes_nothing(tmp_path, schools):
    path = write(tmp_path, DISTRICT_CSV)
    assert "3 new, 0 updated, 0 unchanged, 0 errors" in run(path)
    laptop = Device.objects.get(asset_tag="NP-20003")
    assert (laptop.kind, laptop.school, laptop.room, laptop.assigned_to) == ("laptop", schools[1], "Office", "S1029384")
    assert Device.objects.get(asset_tag="NP-20002").status == Device.Status.IN_REPAIR
    history_before = Device.history.count()

    assert "0 new, 0 updated, 3 unchanged, 0 errors" in run(path)
    assert Device.history.count() == history_before
    assert DeviceSync.objects.count() == 2


def test_a_bad_row_changes_nothing_and_names_the_line(tmp_path, schools):
    kept = DeviceFactory(asset_tag="NP-20001", serial_number="5CD0001", model="Old model")
    bad = DISTRICT_CSV + "NP-20004,5CD0004,Toaster,Acme,Panola High School,1,,In service\n"
    bad += "NP-20005,5CD0005,Laptop,HP,Nowhere Academy,1,,In service\n"
    with pytest.raises(CommandError, match="Nothing was changed"):
        run(write(tmp_path, bad))
    assert Device.objects.count() == 1
    kept.refresh_from_db()
    assert kept.model == "Old model"
    run_record = DeviceSync.objects.get()
    assert [error["line"] for error in run_record.errors] == [5, 6]
    assert "kind “Toaster” is not one of" in run_record.errors[0]["reason"]
    assert "school “Nowhere Academy”" in run_record.errors[1]["reason"]


def test_the_command_prints_each_bad_line_with_its_reason(tmp_path, schools, capsys):
    path = write(tmp_path, "Asset tag,Serial number,Kind\n,,Chromebook\nNP-1,S-1,Chromebook\nNP-1,S-2,Laptop\n")
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_devices", path, stdout=out)
    printed = out.getvalue()
    assert "Line 2: the row has neither an asset tag nor a serial number" in printed
    assert "Line 4: NP-1 is also on line 3" in printed
    assert Device.objects.count() == 0


def test_dry_run_counts_but_changes_nothing(tmp_path, schools):
    DeviceFactory(asset_tag="NP-20001", serial_number="5CD0001", model="Old model")
    output = run(write(tmp_path, DISTRICT_CSV), "--dry-run")
    assert "2 new, 1 updated, 0 unchanged, 0 errors" in output and "Dry run: nothing was changed." in output
    assert Device.objects.get().model == "Old model"


def test_an_update_changes_only_what_differs_and_devices_absent_from_the_file_stay(tmp_path, schools):
    other = DeviceFactory(asset_tag="NP-99999", serial_number="ZZZ")
    DeviceFactory(asset_tag="NP-20001", serial_number="5CD0001", room="Library", school=schools[0])
    assert "2 new, 1 updated" in run(write(tmp_path, DISTRICT_CSV))
    assert Device.objects.get(asset_tag="NP-20001").room == "104"
    assert Device.objects.filter(pk=other.pk).exists()


def test_google_export_maps_org_units_to_schools(tmp_path, schools):
    OrgUnitSchool.objects.create(org_unit_path="/Students/Panola High", school=schools[0])
    OrgUnitSchool.objects.create(org_unit_path="/Staff/Green Hill/", school=schools[1])
    path = write(tmp_path, GOOGLE_CSV)
    assert "3 new, 0 updated, 0 unchanged, 0 errors" in run(path)
    student = Device.objects.get(serial_number="5CG1111")
    assert (student.asset_tag, student.school, student.room, student.assigned_to) == (
        "NP-30001",
        schools[0],
        "Library",
        "S2001",
    )
    assert student.auto_update_expires_on == date(2029, 6, 1) and student.os_version == "128.0.6613.133"
    assert student.last_sync_at.isoformat() == "2026-11-30T14:05:00+00:00"
    assert Device.objects.get(serial_number="5CG2222").school == schools[1]
    unmapped = Device.objects.get(serial_number="5CG3333")
    assert (unmapped.school, unmapped.status, unmapped.auto_update_expires_on) == (
        None,
        Device.Status.RETIRED,
        date(2027, 6, 1),
    )
    assert "0 new, 0 updated, 3 unchanged" in run(path)


def test_google_export_keeps_local_rooms_notes_and_repair_status(tmp_path, schools):
    DeviceFactory(
        serial_number="5CG1111", asset_tag="NP-30001", room="Room 9", notes="Cracked hinge", status="in_repair"
    )
    run(write(tmp_path, GOOGLE_CSV))
    device = Device.objects.get(serial_number="5CG1111")
    assert (device.room, device.notes, device.status) == ("Room 9", "Cracked hinge", Device.Status.IN_REPAIR)


def test_a_value_too_long_names_its_line_and_field(tmp_path, schools):
    long_model = "X" * 130
    text = f"Asset tag,Serial number,Kind,Model\nNP-1,S-1,Chromebook,Fine\nNP-2,S-2,Chromebook,{long_model}\n"
    with pytest.raises(CommandError):
        run(write(tmp_path, text))
    [error] = DeviceSync.objects.get().errors
    assert error["line"] == 3 and error["reason"].startswith("model: Ensure this value has at most 120 characters")
    assert Device.objects.count() == 0
