from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from devices.models import Device, DeviceSync, Loan, OrgUnitSchool


@admin.register(Device)
class DeviceAdmin(SimpleHistoryAdmin):
    list_display = ["asset_tag", "serial_number", "kind", "model", "school", "room", "status", "is_loaner"]
    list_filter = ["status", "kind", "is_loaner", "school"]
    search_fields = ["asset_tag", "serial_number", "model", "assigned_to"]
    readonly_fields = ["google_device_id", "created_at"]


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

    @admin.display(description="errors")
    def error_count(self, run):
        return len(run.errors)

    def has_add_permission(self, request):
        return False
