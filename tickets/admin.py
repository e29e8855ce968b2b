from django.contrib import admin

from tickets.models import Attachment, CannedResponse, Ticket, TicketEvent, TicketRoutingLog


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TicketRoutingLogInline(admin.TabularInline):
    model = TicketRoutingLog
    extra = 0
    verbose_name = "routing rule it went through"
    verbose_name_plural = "routing rules it went through"
    fields = readonly_fields = ["deflection"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    fields = ["created_at", "kind", "author", "field_name", "old_value", "new_value", "body"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = ["title", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "body"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = [
        "display_number",
        "subject",
        "requester_email",
        "school",
        "ticket_type",
        "priority",
        "status",
        "created_at",
    ]
    list_filter = ["status", "priority", "school", "ticket_type", "created_at"]
    search_fields = ["=number", "subject", "requester_email", "description", "classroom"]
    list_select_related = ["school", "ticket_type", "assignee"]
    date_hierarchy = "created_at"
    readonly_fields = ["number", "public_id", "created_at", "updated_at"]
    inlines = [AttachmentInline, TicketRoutingLogInline, TicketEventInline]
    raw_id_fields = ["device"]  # a fleet of thousands: a number box, not a drop-down of every device

    @admin.display(description="Ticket", ordering="number")
    def display_number(self, ticket):
        return ticket.display_number


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "ticket", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "=ticket__number"]
    list_select_related = ["ticket"]
    readonly_fields = ["ticket", "file", "original_name", "content_type", "size", "uploaded_at"]

    def has_add_permission(self, request):
        return False
