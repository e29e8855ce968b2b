from django.contrib import admin

from outages.models import Outage, OutageEmailWording, OutagePerson, OutageTicket, OutageUpdate, PossibleOutage


class OutageTicketInline(admin.TabularInline):
    model = OutageTicket
    raw_id_fields = ["ticket"]
    extra = 0


class OutagePersonInline(admin.TabularInline):
    model = OutagePerson
    extra = 0


class OutageUpdateInline(admin.TabularInline):
    model = OutageUpdate
    extra = 0
    readonly_fields = ["author", "created_at"]


@admin.register(Outage)
class OutageAdmin(admin.ModelAdmin):
    list_display = ["title", "ticket_type", "is_district_wide", "started_at", "resolved_at"]
    list_filter = ["is_district_wide", "ticket_type", "schools"]
    search_fields = ["title", "message", "resolution", "reported_by", "schools__name"]
    date_hierarchy = "started_at"
    filter_horizontal = ["schools"]
    readonly_fields = ["declared_by"]
    inlines = [OutageTicketInline, OutagePersonInline, OutageUpdateInline]


@admin.register(PossibleOutage)
class PossibleOutageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "detected_at", "outage"]
    list_filter = ["status"]
    search_fields = ["school__name", "ticket_type__name", "detection_key"]
    readonly_fields = ["detection_key", "school", "ticket_type", "ticket_numbers", "detected_at", "outage"]


@admin.register(OutageEmailWording)
class OutageEmailWordingAdmin(admin.ModelAdmin):
    list_display = ["kind", "subject"]

    def has_add_permission(self, request):
        return OutageEmailWording.objects.count() < len(OutageEmailWording.Kind)

    def has_delete_permission(self, request, obj=None):
        return False
