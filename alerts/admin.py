from django.contrib import admin

from alerts.models import Alert, AlertPreference, ResponseTarget, SchoolDay


@admin.register(SchoolDay)
class SchoolDayAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_at", "ends_at", "lead_technician"]
    fields = ["starts_at", "ends_at", "lead_technician"]

    def has_add_permission(self, request):
        return not SchoolDay.objects.exists()  # one row: the district's school day


@admin.register(ResponseTarget)
class ResponseTargetAdmin(admin.ModelAdmin):
    list_display = ["priority", "first_reply_hours", "resolve_hours"]
    list_editable = ["first_reply_hours", "resolve_hours"]


@admin.register(AlertPreference)
class AlertPreferenceAdmin(admin.ModelAdmin):
    """Everyone's choices; a technician with no row for a kind gets its default."""

    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "ticket", "is_digest", "send_after", "sent_at"]
    list_filter = ["kind", "is_digest"]
    search_fields = ["recipient__username", "summary"]
    readonly_fields = [field.name for field in Alert._meta.fields]

    def has_add_permission(self, request):
        return False
