import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def inbound_email_poll() -> int:
    """Read the help desk mailbox (INBOUND_IMAP_URL); return how many messages were processed."""
    from health.models import Heartbeat
    from health.services import heartbeat_failure_record, heartbeat_record
    from inbound.mailbox import MailboxSettings, MailboxSignInRefused, mailbox_poll

    if not settings.INBOUND_IMAP_URL:
        return 0
    try:
        processed = len(mailbox_poll(config=MailboxSettings.from_settings()))
    except MailboxSignInRefused as refused:
        # Retrying cannot help until an admin acts: say why on /readyz and in admin, and wait for the next poll.
        logger.error("Help desk mailbox sign-in refused: %s", refused.reason)
        heartbeat_failure_record(name=Heartbeat.Name.MAILBOX, error=f"mailbox sign-in refused: {refused.reason}")
        return 0
    heartbeat_record(name=Heartbeat.Name.MAILBOX)  # only after a poll that worked: /readyz tells a stuck one
    return processed
