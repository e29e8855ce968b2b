"""Admin pages of the registry: import a device file with a preview, and the Google sync's Sync now."""

import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from devices.google_sync import google_sync_is_set_up
from devices.imports import devices_import
from devices.models import Device

IMPORT_SESSION_KEY = "devices_import_pending"
PREVIEW_ROWS = 100


class DeviceImportForm(forms.Form):
    file = forms.FileField(
        label="Device file (CSV)",
        help_text="The district's CSV (Asset tag, Serial number, Kind, Model, School, Room, Assigned to, Status) or "
        "Google Admin's ChromeOS device export. You see what would change before anything is saved.",
    )


def _read(upload) -> str | None:
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def device_import_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Upload → preview (a dry run: counts, errors by line, what changes) → Import, or nothing changes."""
    if not model_admin.has_add_permission(request) or not model_admin.has_change_permission(request):
        raise PermissionDenied
    form = DeviceImportForm(request.POST or None, request.FILES or None)
    context = {**model_admin.admin_site.each_context(request), "opts": Device._meta, "title": "Import devices"}
    pending = request.session.get(IMPORT_SESSION_KEY) or {}
    if request.method == "POST" and request.POST.get("confirm"):
        if pending.get("token") != request.POST["confirm"]:
            messages.error(request, "That preview has expired. Choose the file again.")
            return HttpResponseRedirect(reverse("admin:devices_device_import"))
        plan, _ = devices_import(text=pending["text"], dry_run=False, acting_user=request.user)
        if not plan.errors:
            del request.session[IMPORT_SESSION_KEY]
            messages.success(request, f"Imported: {plan.summary()}.")
            return HttpResponseRedirect(reverse("admin:devices_device_changelist"))
        context |= {"plan": plan, "file_name": pending.get("name", "")}  # the registry changed meanwhile
    elif request.method == "POST" and form.is_valid():
        text = _read(form.cleaned_data["file"])
        if text is None:
            form.add_error("file", "This file is not text in UTF-8. Save it from your spreadsheet as “CSV UTF-8”.")
        else:
            plan, _ = devices_import(text=text, dry_run=True, acting_user=request.user)
            token = secrets.token_urlsafe(16)
            request.session[IMPORT_SESSION_KEY] = {"token": token, "text": text, "name": form.cleaned_data["file"].name}
            context |= {"plan": plan, "token": token, "file_name": form.cleaned_data["file"].name}
    if "plan" in context:
        plan = context["plan"]
        context |= {"new_rows": plan.new[:PREVIEW_ROWS], "updated_rows": plan.updated[:PREVIEW_ROWS]}
    context["form"] = form
    return TemplateResponse(request, "admin/devices/device/import.html", context)


def can_sync_now(model_admin, request: HttpRequest) -> bool:
    """Sync now writes the registry: it needs change permission on the sync history and on devices, not just view."""
    return model_admin.has_change_permission(request) and request.user.has_perms(
        ["devices.add_device", "devices.change_device"]
    )


def device_sync_now_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Sync now (or a dry run) from the sync history's page; the run appears in the list when it is done."""
    changelist = reverse("admin:devices_devicesync_changelist")
    if not can_sync_now(model_admin, request):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseRedirect(changelist)
    if not google_sync_is_set_up():
        messages.error(request, "The Google sync is not set up yet: docs/deploy.md says how.")
        return HttpResponseRedirect(changelist)
    from devices.tasks import google_devices_sync as google_devices_sync_task

    dry_run = request.POST.get("dry_run") == "yes"
    google_devices_sync_task.delay(dry_run=dry_run, user_id=request.user.pk)
    messages.success(
        request,
        f"The {'dry run' if dry_run else 'sync'} has started. Its counts appear below when it is done; "
        "refresh this page in a minute.",
    )
    return HttpResponseRedirect(changelist)
