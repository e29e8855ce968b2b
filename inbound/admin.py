from django.contrib import admin

from inbound.models import HeldEmail
from inbound.processing import held_email_accept
from inbound.services import held_email_discard


@admin.register(HeldEmail)
class HeldEmailAdmin(admin.ModelAdmin):
    list_display = ["received_at", "from_address", "subject", "ticket", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["from_address", "subject", "text"]
    readonly_fields = [f.name for f in HeldEmail._meta.fields]
    actions = ["accept", "discard"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Accept: process the selected held email as if the sender were verified")
    def accept(self, request, queryset):
        results = [
            held_email_accept(acting_user=request.user, held_email_id=pk)
            for pk in queryset.values_list("pk", flat=True)
        ]
        self.message_user(request, f"Accepted {sum(result is not None for result in results)} held email.")

    @admin.action(description="Discard the selected held email")
    def discard(self, request, queryset):
        results = [
            held_email_discard(acting_user=request.user, held_email_id=pk)
            for pk in queryset.values_list("pk", flat=True)
        ]
        self.message_user(request, f"Discarded {sum(result is not None for result in results)} held email.")
