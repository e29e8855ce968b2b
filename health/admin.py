from django.contrib import admin

from health.models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    """Read-only: the jobs write these rows; admins read when the mailbox was last polled and why it last failed."""

    list_display = ["name", "status", "recorded_at", "last_error_at"]
    fields = readonly_fields = ["name", "status", "recorded_at", "last_error", "last_error_at"]

    @admin.display(description="status")
    def status(self, heartbeat: Heartbeat) -> str:
        if heartbeat.is_failing:
            return f"Failing: {heartbeat.last_error}"
        return "Working" if heartbeat.recorded_at else "Has not run yet"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
