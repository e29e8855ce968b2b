"""The replacement-planning report: repairs by model, devices by auto-update expiration year per school, CSV."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.devices.factories import DeviceFactory
from tests.factories import SchoolFactory, TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fleet(db):
    high, green = SchoolFactory(name="Panola High"), SchoolFactory(name="Green Hill")
    a = DeviceFactory(model="Acer 311", school=high, auto_update_expires_on=date(2027, 6, 1))
    b = DeviceFactory(model="Acer 311", school=high, auto_update_expires_on=date(2029, 6, 1))
    c = DeviceFactory(model="Lenovo 100e", school=green, auto_update_expires_on=date(2027, 6, 1))
    DeviceFactory(model="Lenovo 100e", school=green, status="retired", auto_update_expires_on=date(2025, 6, 1))
    DeviceFactory(model="Epson 685", kind="projector", school=green)
    for device in (a, a, b, c):
        TicketFactory(device=device)
    TicketFactory(device=c, created_at=timezone.now() - timedelta(days=400))
    TicketFactory()
    return high, green


def test_repairs_by_model_count_tickets_devices_and_the_fleet(tech_client, fleet):
    rows = list(csv.reader(io.StringIO(tech_client.get("/reports/devices/repairs.csv").content.decode())))
    assert rows == [
        ["Kind", "Model", "Tickets", "Devices repaired", "Devices of this model"],
        ["Chromebook", "Acer 311", "3", "2", "2"],
        ["Chromebook", "Lenovo 100e", "1", "1", "1"],
    ]
    two_years = tech_client.get("/reports/devices/repairs.csv", {"days": "730"}).content.decode()
    assert "Lenovo 100e,2,1,1" in two_years


def test_devices_by_expiration_year_per_school(tech_client, fleet):
    response = tech_client.get("/reports/devices/expiration.csv")
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["School", "2027", "2029", "Not known", "Total"],
        ["Green Hill", "1", "0", "1", "2"],
        ["Panola High", "1", "1", "0", "2"],
    ]
    page = tech_client.get("/reports/devices/").content.decode()
    assert "Repairs by model" in page and "Acer 311" in page and "Devices by auto-update expiration year" in page
    assert "/reports/devices/" in tech_client.get("/reports/").content.decode()


def test_the_report_is_for_technicians(client, fleet):
    assert client.get("/reports/devices/repairs.csv").status_code == 302


@pytest.mark.parametrize("table", ["expirations", "Repairs", "anything"])
def test_an_unknown_csv_table_is_not_found(tech_client, fleet, table):
    response = tech_client.get(f"/reports/devices/{table}.csv")
    assert response.status_code == 404
    assert "attachment" not in response.get("Content-Disposition", "")
