"""Writes for one-time keys; each runs inside the transaction of the view it guards."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from submissions.models import Submission

SUBMISSION_KEPT = timedelta(days=1)  # long past any double click, resubmit or retry


def submission_claim(*, key: str) -> bool:
    """Take the key for this transaction; False when another transaction already used it.

    A second POST with the same key waits here, on the primary key, until the first one commits or rolls back.
    """
    try:
        with transaction.atomic():
            Submission.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def submission_record(*, key: str, result_url: str, session_key: str) -> None:
    Submission.objects.filter(key=key).update(result_url=result_url, session_key=session_key)


def submission_release(*, key: str) -> None:
    """Give the key back: the answer asked the person for more (form errors, a question), nothing is done yet."""
    Submission.objects.filter(key=key).delete()


def submissions_sweep(*, now: datetime | None = None) -> int:
    """Forget keys older than a day; return how many."""
    cutoff = (now or timezone.now()) - SUBMISSION_KEPT
    deleted, _ = Submission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
