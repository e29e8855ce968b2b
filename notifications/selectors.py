from datetime import datetime

from notifications.models import OutboundEmail


def email_oldest_pending_created_at() -> datetime | None:
    """Return when the oldest email still waiting to be sent was written, or None when none waits."""
    return (
        OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
