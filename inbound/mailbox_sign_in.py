"""Where the help desk mailbox is, and how the poller signs in: a password, or an OAuth 2.0 bearer token.

Tokens go over SASL XOAUTH2 (Microsoft 365 and Gmail) or OAUTHBEARER (RFC 7628) when a server offers only that.
A kept token the server refuses is replaced once by a new one (it may have died before its hour was up); a refusal
after that, or the provider refusing to issue a token at all, is MailboxSignInRefused: an admin has to act.
"""

import dataclasses
import imaplib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.conf import settings

from inbound.mailbox_oauth import (
    GOOGLE,
    MICROSOFT,
    AccessToken,
    OAuthClient,
    TokenRefused,
    access_token_fetch,
    access_token_forget,
    access_token_kept,
)

logger = logging.getLogger(__name__)
PASSWORD = "password"  # noqa: S105 (the INBOUND_IMAP_AUTH choice, not a password)
PROVIDER_NAMES = {MICROSOFT: "Microsoft Entra ID", GOOGLE: "Google"}
MECHANISMS = ("XOAUTH2", "OAUTHBEARER")  # in order of preference; Exchange Online offers only XOAUTH2


class MailboxSignInRefused(Exception):
    """The mailbox cannot be signed in to until an admin changes something; `reason` says what was refused."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _TokenNotAccepted(Exception):
    pass


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    folder: str
    use_ssl: bool
    oauth: OAuthClient | None = None  # None: sign in with the password

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

    @classmethod
    def from_settings(cls) -> "MailboxSettings":
        """Read INBOUND_IMAP_URL and INBOUND_IMAP_AUTH (with the INBOUND_OAUTH_* settings it needs)."""
        config = cls.from_url(settings.INBOUND_IMAP_URL)
        auth = settings.INBOUND_IMAP_AUTH
        if auth == PASSWORD:
            return config
        if auth not in PROVIDER_NAMES:
            raise MailboxSignInRefused(f"INBOUND_IMAP_AUTH is {auth!r}; use password, microsoft or google")
        oauth = OAuthClient.from_settings(default_mailbox=config.user)
        if missing := oauth.missing_settings():
            raise MailboxSignInRefused(f"INBOUND_IMAP_AUTH={auth} needs {', '.join(missing)}")
        return dataclasses.replace(config, oauth=oauth)


def mailbox_connect(*, config: MailboxSettings, timeout: float) -> imaplib.IMAP4:
    """Return a client signed in to the mailbox; raise MailboxSignInRefused when the server or provider says no."""
    if config.oauth is None:
        client = _open(config, timeout)
        try:
            client.login(config.user, config.password)
        except imaplib.IMAP4.error as exc:
            _close(client)
            raise MailboxSignInRefused(f"the mail server refused the password: {_server_text(exc)}") from exc
        return client
    oauth = config.oauth
    kept = access_token_kept(client=oauth)
    if kept is not None:
        try:
            return _open_with_token(config, kept, timeout)
        except _TokenNotAccepted as exc:
            logger.info(
                "The mail server refused the kept access token for %s (%s); asking for a new one", oauth.mailbox, exc
            )
    try:
        token = access_token_fetch(client=oauth)
    except TokenRefused as exc:
        raise MailboxSignInRefused(f"{PROVIDER_NAMES[oauth.provider]} refused to issue a token: {exc.reason}") from exc
    try:
        return _open_with_token(config, token, timeout)
    except _TokenNotAccepted as exc:
        access_token_forget(client=oauth)
        raise MailboxSignInRefused(f"the mail server refused a new access token for {oauth.mailbox}: {exc}") from exc


def xoauth2_response(*, user: str, token: str) -> bytes:
    """The client's SASL XOAUTH2 message (Google's and Microsoft's documented format)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01".encode()


def oauthbearer_response(*, user: str, token: str, host: str, port: int) -> bytes:
    """The client's SASL OAUTHBEARER message (RFC 7628 section 3.1); the GS2 authzid escapes "=" and ","."""
    authzid = user.replace("=", "=3D").replace(",", "=2C")
    return f"n,a={authzid},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01".encode()


def _open(config: MailboxSettings, timeout: float) -> imaplib.IMAP4:
    client_class = imaplib.IMAP4_SSL if config.use_ssl else imaplib.IMAP4
    return client_class(config.host, config.port, timeout=timeout)


def _open_with_token(config: MailboxSettings, token: AccessToken, timeout: float) -> imaplib.IMAP4:
    client = _open(config, timeout)
    offered = [mechanism for mechanism in MECHANISMS if f"AUTH={mechanism}" in client.capabilities]
    if not offered:
        _close(client)
        raise MailboxSignInRefused(f"the mail server at {config.host} offers neither XOAUTH2 nor OAUTHBEARER")
    user = config.oauth.mailbox
    if offered[0] == "XOAUTH2":
        message, after_error = xoauth2_response(user=user, token=token.value), b""
    else:  # RFC 7628 3.2.3: a refused client answers the server's error with a single ^A
        message = oauthbearer_response(user=user, token=token.value, host=config.host, port=config.port)
        after_error = b"\x01"
    try:
        client.authenticate(offered[0], _once(message, after_error=after_error))
    except imaplib.IMAP4.error as exc:
        _close(client)
        raise _TokenNotAccepted(_server_text(exc)) from exc
    return client


def _once(message: bytes, *, after_error: bytes) -> Callable[[bytes], bytes]:
    """Answer the first challenge with the message; a second one carries the server's error (JSON) and ends it."""
    sent = []

    def respond(challenge: bytes) -> bytes:
        if sent:
            return after_error
        sent.append(True)
        return message

    return respond


def _server_text(exc: imaplib.IMAP4.error) -> str:
    """The server's words: imaplib passes LOGIN's answer on as bytes, AUTHENTICATE's as text."""
    text = exc.args[0] if exc.args else ""
    return text.decode(errors="replace") if isinstance(text, bytes) else str(text)


def _close(client: imaplib.IMAP4) -> None:
    try:
        client.logout()
    except (imaplib.IMAP4.error, OSError):
        logger.debug("IMAP logout after a refused sign-in failed", exc_info=True)
