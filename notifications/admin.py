from django.contrib import admin, messages

from notifications.models import InboundEmail, OutboundEmail, OutboundEmailAttachment
from notifications.services import emails_retry


class OutboundEmailAttachmentInline(admin.TabularInline):
    model = OutboundEmailAttachment
    extra = 0
    can_delete = False
    fields = readonly_fields = ["filename", "content_type", "storage_name"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    inlines = [OutboundEmailAttachmentInline]
    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at", "next_attempt_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["to", "subject", "idempotency_key", "message_id"]
    date_hierarchy = "created_at"
    actions = ["retry_selected"]
    # Every field but secret_values: live links are never shown (the bodies hold placeholders instead).
    readonly_fields = [f.name for f in OutboundEmail._meta.fields if f.name != "secret_values"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry the selected failed emails now", permissions=["change"])
    def retry_selected(self, request, queryset):
        count = emails_retry(email_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} failed email(s) queued again.", messages.SUCCESS)


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = ["received_at", "from_address", "subject", "outcome", "ticket_number"]
    list_filter = ["outcome", "received_at"]
    search_fields = ["from_address", "subject", "message_id", "=ticket_number"]
    date_hierarchy = "received_at"
    readonly_fields = [f.name for f in InboundEmail._meta.fields]

    def has_add_permission(self, request):
        return False
