from django.contrib import admin

from district.models import HelpDeskSettings, School, TicketType


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "order"]
    list_editable = ["is_active", "order"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    filter_horizontal = ["technicians"]


@admin.register(TicketType)
class TicketTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "order"]
    list_editable = ["is_active", "order"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(HelpDeskSettings)
class HelpDeskSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "closed_reply", "reopen_within_days", "quote_valid_days"]
    fieldsets = [
        ("Replies to closed tickets", {"fields": ["closed_reply", "reopen_within_days"]}),
        (
            "Tickets waiting on the requester",
            {"fields": ["waiting_reminder_business_days", "waiting_close_business_days"]},
        ),
        ("Quotes", {"fields": ["quote_valid_days", "quote_reminder_days_before"]}),
        ("Outages", {"fields": ["outage_ticket_count", "outage_window_minutes"]}),
    ]

    def has_add_permission(self, request):
        return not HelpDeskSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
