import csv
import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from alerts.forms import AlertPreferencesForm, TargetsRangeForm
from alerts.models import AlertPreference, ResponseTarget, SchoolDay
from alerts.reports import targets_met
from alerts.services import alert_preferences_save
from helpdesk.csv_cells import csv_safe
from helpdesk.technicians import technician_required


@technician_required
def my_notifications(request: HttpRequest) -> HttpResponse:
    current = dict(AlertPreference.objects.filter(user=request.user).values_list("kind", "delivery"))
    form = AlertPreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        alert_preferences_save(user=request.user, choices=form.cleaned_data)
        messages.success(request, "Your notification choices are saved.")
        return redirect("alerts:my_notifications")
    school_day = SchoolDay.load()
    return render(request, "alerts/my_notifications.html", {"form": form, "school_day": school_day})


@technician_required
def targets_report(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = TargetsRangeForm(request.GET or {"start": today - datetime.timedelta(days=30), "end": today})
    rows = []
    if form.is_valid():
        rows = targets_met(start=form.cleaned_data["start"], end=form.cleaned_data["end"], now=timezone.now())
    if request.GET.get("format") == "csv" and form.is_valid():
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="response-targets-{form.cleaned_data["start"]}-{form.cleaned_data["end"]}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(
            [
                "By",
                "Name",
                "First reply met",
                "First reply missed",
                "First reply met %",
                "Resolved met",
                "Resolved missed",
                "Resolved met %",
            ]
        )
        for row in rows:
            writer.writerow(
                [
                    csv_safe(value)
                    for value in (
                        row.group,
                        row.name,
                        row.first_met,
                        row.first_missed,
                        row.first_share,
                        row.resolve_met,
                        row.resolve_missed,
                        row.resolve_share,
                    )
                ]
            )
        return response
    context = {"form": form, "rows": rows, "targets": ResponseTarget.objects.all(), "query": request.GET.urlencode()}
    return render(request, "alerts/targets.html", context)
