"""Readiness: can this installation take and deliver tickets right now? Each check answers "ok" or what is wrong."""

import logging
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from health.models import Heartbeat
from notifications.selectors import email_oldest_pending_created_at

logger = logging.getLogger(__name__)

OK = "ok"
NOT_USED = "not used"


def _database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("Readiness: the database did not answer", exc_info=True)
        return "the database did not answer"
    return OK


def _tasks_run_in_process() -> bool:
    from helpdesk.celery import app

    return bool(app.conf.task_always_eager)  # no broker configured: no worker, no beat


def _broker_check() -> str:
    from helpdesk.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as broker:
            broker.ensure_connection(max_retries=1, timeout=settings.HELPDESK_READY_BROKER_TIMEOUT_SECONDS)
    except Exception:  # kombu raises the transport's own errors; any of them means "not answering"
        logger.warning("Readiness: the Celery broker did not answer", exc_info=True)
        return "the Celery broker (Redis) did not answer"
    return OK


def _age_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes} minutes" if minutes else f"{int(seconds)} seconds"


def _outbox_check(*, now: datetime) -> str:
    oldest = email_oldest_pending_created_at()
    if oldest is None:
        return OK
    age = (now - oldest).total_seconds()
    if age > settings.HELPDESK_READY_OUTBOX_MAX_AGE_SECONDS:
        return f"the oldest unsent email has waited {_age_text(age)}"
    return OK


def _heartbeat_check(*, name: str, max_age_seconds: int, now: datetime) -> str:
    heartbeat = Heartbeat.objects.filter(name=name).first()
    label = Heartbeat.Name(name).label
    if heartbeat is not None and heartbeat.is_failing:
        return heartbeat.last_error  # e.g. "mailbox sign-in refused: …": waiting will not fix it, say so at once
    if heartbeat is None or heartbeat.recorded_at is None:
        return f"{label} has not run yet"
    age = (now - heartbeat.recorded_at).total_seconds()
    if age > max_age_seconds:
        return f"{label} last ran {_age_text(age)} ago"
    return OK


def readiness_report(*, now: datetime | None = None) -> dict[str, str]:
    """Return each readiness check's answer: "ok", "not used" (not configured here) or what is wrong."""
    now = now or timezone.now()
    in_process = _tasks_run_in_process()
    report = {"database": _database_check(), "broker": NOT_USED if in_process else _broker_check()}
    if report["database"] != OK:
        # Everything else is read from the database: say so instead of failing three more times.
        return {**report, "outbox": "unknown", "beat": "unknown", "mailbox": "unknown"}
    report["outbox"] = _outbox_check(now=now)
    report["beat"] = (
        NOT_USED
        if in_process
        else _heartbeat_check(
            name=Heartbeat.Name.BEAT, max_age_seconds=settings.HELPDESK_READY_BEAT_MAX_AGE_SECONDS, now=now
        )
    )
    report["mailbox"] = (
        _heartbeat_check(
            name=Heartbeat.Name.MAILBOX, max_age_seconds=settings.HELPDESK_READY_MAILBOX_MAX_AGE_SECONDS, now=now
        )
        if settings.INBOUND_IMAP_URL
        else NOT_USED
    )
    return report


def readiness_is_ready(*, report: dict[str, str]) -> bool:
    """True when every check is "ok" or "not used" here."""
    return all(answer in (OK, NOT_USED) for answer in report.values())
