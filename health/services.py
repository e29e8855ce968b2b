from datetime import datetime

from django.utils import timezone

from health.models import Heartbeat


def heartbeat_record(*, name: str, at: datetime | None = None) -> Heartbeat:
    """Record that the background job `name` ran just now."""
    heartbeat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"recorded_at": at or timezone.now()})
    return heartbeat
