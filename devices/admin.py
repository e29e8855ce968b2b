from django.contrib import admin
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from devices.admin_views import can_sync_now, device_import_view, device_sync_now_view
from devices.models import Device, DeviceSync, Loan, OrgUnitSchool


@admin.register(Device)
class DeviceAdmin(SimpleHistoryAdmin):
    list_display = ["asset_tag", "serial_number", "kind", "model", "school", "room", "status", "is_loaner"]
    list_filter = ["status", "kind", "is_loaner", "school"]
    search_fields = ["asset_tag", "serial_number", "model", "assigned_to"]
    readonly_fields = ["google_device_id", "created_at"]
    change_list_template = "admin/devices/device/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request: device_import_view(self, request))
        return [path("import/", view, name="devices_device_import"), *super().get_urls()]


@admin.register(OrgUnitSchool)
class OrgUnitSchoolAdmin(admin.ModelAdmin):
    list_display = ["org_unit_path", "school"]
    list_editable = ["school"]
    search_fields = ["org_unit_path"]


@admin.register(Loan)
class LoanAdmin(SimpleHistoryAdmin):
    list_display = ["device", "borrower", "due_on", "returned_at", "ticket_number"]
    list_filter = ["returned_at"]
    search_fields = ["device__asset_tag", "device__serial_number", "borrower"]
    raw_id_fields = ["device"]


@admin.register(DeviceSync)
class DeviceSyncAdmin(admin.ModelAdmin):
    list_display = ["started_at", "source", "is_dry_run", "new", "updated", "unchanged", "error_count", "failure"]
    list_filter = ["source", "is_dry_run"]
    readonly_fields = [f.name for f in DeviceSync._meta.fields]
    change_list_template = "admin/devices/devicesync/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request: device_sync_now_view(self, request))
        return [path("sync-now/", view, name="devices_devicesync_sync_now"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "can_sync_now": can_sync_now(self, request)})

    @admin.display(description="errors")
    def error_count(self, run):
        return len(run.errors)

    def has_add_permission(self, request):
        return False
