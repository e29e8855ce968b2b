from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from alerts.forms import AlertPreferencesForm
from alerts.models import AlertPreference, SchoolDay
from alerts.selectors import technicians_for_mentions
from alerts.services import alert_preferences_save
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
def mention_names(request: HttpRequest) -> JsonResponse:
    """The technicians a note can @mention, for the composer's autocomplete."""
    return JsonResponse({"technicians": technicians_for_mentions()})
