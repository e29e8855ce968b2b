"""Replacement planning: repairs by model, and devices by auto-update expiration year per school, with CSV."""

import csv
from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from devices.selectors import expiration_table
from helpdesk.csv_cells import csv_safe
from helpdesk.technicians import technician_required
from tickets.device_selectors import repairs_by_model

PERIODS = {"90": "the last 90 days", "365": "the last 12 months", "730": "the last 2 years"}


def _period(request: HttpRequest) -> str:
    days = request.GET.get("days", "365")
    return days if days in PERIODS else "365"


@require_GET
@technician_required
def device_report(request: HttpRequest) -> HttpResponse:
    days = _period(request)
    since = timezone.now() - timedelta(days=int(days))
    context = {
        "days": days,
        "periods": PERIODS,
        "period_label": PERIODS[days],
        "repairs": repairs_by_model(since=since),
        "expiration": expiration_table(),
    }
    return render(request, "devices/report.html", context)


@require_GET
@technician_required
def device_report_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in ("repairs", "expiration"):
        raise Http404("No such table")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    if table == "repairs":
        days = _period(request)
        response["Content-Disposition"] = f'attachment; filename="repairs-by-model-{days}-days.csv"'
        writer.writerow(["Kind", "Model", "Tickets", "Devices repaired", "Devices of this model"])
        for row in repairs_by_model(since=timezone.now() - timedelta(days=int(days))):
            writer.writerow([csv_safe(v) for v in (row.kind, row.model, row.tickets, row.devices_repaired, row.fleet)])
    else:
        table_data = expiration_table()
        response["Content-Disposition"] = 'attachment; filename="devices-by-auto-update-expiration.csv"'
        writer.writerow(["School", *[year or "Not known" for year in table_data.years], "Total"])
        for school, counts, total in table_data.rows:
            writer.writerow([csv_safe(school), *counts, total])
    return response
