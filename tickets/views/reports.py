"""The technicians' reports page."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from helpdesk.technicians import technician_required
from tickets.forms import ReportRangeForm
from tickets.reports import report_for_range


@require_GET
@technician_required
def reports(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ReportRangeForm(request.GET or None, initial={"start": today - timedelta(weeks=8), "end": today})
    start, end = (
        (form.cleaned_data["start"], form.cleaned_data["end"])
        if form.is_valid()
        else (
            today - timedelta(weeks=8),
            today,
        )
    )
    return render(request, "tickets/reports.html", {"form": form, **report_for_range(start=start, end=end)})
