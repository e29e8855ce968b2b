from celery import shared_task


@shared_task(ignore_result=True)
def beat_heartbeat_record() -> None:
    """Scheduled by beat and run by a worker, so a fresh heartbeat means both are running."""
    from health.models import Heartbeat
    from health.services import heartbeat_record

    heartbeat_record(name=Heartbeat.Name.BEAT)
