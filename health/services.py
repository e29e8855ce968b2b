from datetime import datetime

from django.utils import timezone

from health.models import Heartbeat


def heartbeat_record(*, name: str, at: datetime | None = None) -> Heartbeat:
    """Record that the background job `name` ran just now."""
    heartbeat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"recorded_at": at or timezone.now()})
    return heartbeat


def heartbeat_failure_record(*, name: str, error: str, at: datetime | None = None) -> Heartbeat:
    """Record that the background job `name` failed just now and why (shown on /readyz and in admin)."""
    max_length = Heartbeat._meta.get_field("last_error").max_length
    heartbeat, _ = Heartbeat.objects.update_or_create(
        name=name, defaults={"last_error": error[:max_length], "last_error_at": at or timezone.now()}
    )
    return heartbeat
