"""Read the help desk mailbox over IMAP (INBOUND_IMAP_URL) and hand each message to the inbound service.

Signing in (a password, or an OAuth token for Microsoft 365 and Google Workspace) is in inbound.mailbox_sign_in.
"""

import imaplib
import logging

from inbound.mailbox_sign_in import MailboxSettings, MailboxSignInRefused, mailbox_connect
from inbound.processing import InboundResult, inbound_email_process

__all__ = ["MailboxSettings", "MailboxSignInRefused", "mailbox_poll"]
logger = logging.getLogger(__name__)
PROCESSED_FOLDER = "Processed"
FAILED_FOLDER = "Failed"  # messages that could not be processed, set aside so they never block the others
FETCH_LIMIT = 200


def mailbox_poll(*, config: MailboxSettings, timeout: float = 30) -> list[InboundResult]:
    """Process every message in the folder, then move it to Processed so it is never read twice."""
    client = mailbox_connect(config=config, timeout=timeout)  # MailboxSignInRefused: an admin must act
    results = []
    try:
        for folder in (PROCESSED_FOLDER, FAILED_FOLDER):
            client.create(folder)  # "already exists" is answered NO, which imaplib returns, not raises
        client.select(config.folder)
        _, data = client.uid("SEARCH", None, "ALL")
        for uid in (data[0] or b"").split()[:FETCH_LIMIT]:
            _, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in fetched if isinstance(item, tuple)), None)
            if raw is None:
                continue
            try:
                results.append(inbound_email_process(raw=raw))
            except Exception:
                logger.exception("Inbound email %s could not be processed; moved to %s", uid, FAILED_FOLDER)
                _move(client, uid, FAILED_FOLDER)
                continue
            # Move only after the message is recorded; if the move fails, its Message-ID stops a second processing.
            _move(client, uid, PROCESSED_FOLDER)
        return results
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            logger.warning("IMAP logout failed", exc_info=True)


def _move(client: imaplib.IMAP4, uid: bytes, folder: str) -> None:
    try:
        status, _ = client.uid("MOVE", uid, folder)
    except imaplib.IMAP4.error:
        status = "NO"
    if status != "OK":  # a server without MOVE: copy, then delete
        client.uid("COPY", uid, folder)
        client.uid("STORE", uid, "+FLAGS", r"(\Seen \Deleted)")
        client.expunge()
