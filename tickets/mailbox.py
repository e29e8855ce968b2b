"""Read the help desk mailbox over IMAP (INBOUND_IMAP_URL) and hand each message to the inbound service."""

import imaplib
import logging
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from tickets.inbound import InboundResult, inbound_email_process

logger = logging.getLogger(__name__)
PROCESSED_FOLDER = "Processed"
FAILED_FOLDER = "Failed"  # messages that could not be processed, set aside so they never block the others
FETCH_LIMIT = 200


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    user: str
    password: str
    folder: str
    use_ssl: bool

    @classmethod
    def from_url(cls, url: str) -> "MailboxSettings":
        """Read imaps://user:pass@host[:port]/FOLDER (imap:// for plain connections, as in tests)."""
        parts = urlsplit(url)
        if parts.scheme not in ("imap", "imaps"):
            raise ValueError("INBOUND_IMAP_URL must start with imap:// or imaps://")
        use_ssl = parts.scheme == "imaps"
        return cls(
            host=parts.hostname or "localhost",
            port=parts.port or (993 if use_ssl else 143),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
            use_ssl=use_ssl,
        )


def mailbox_poll(*, url: str, timeout: float = 30) -> list[InboundResult]:
    """Process every message in the folder, then move it to Processed so it is never read twice."""
    config = MailboxSettings.from_url(url)
    client_class = imaplib.IMAP4_SSL if config.use_ssl else imaplib.IMAP4
    client = client_class(config.host, config.port, timeout=timeout)
    results = []
    try:
        client.login(config.user, config.password)
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
