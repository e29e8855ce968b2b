"""OAuth 2.0 access tokens for the help desk mailbox (INBOUND_IMAP_AUTH=microsoft or google).

Microsoft 365: the client credentials grant of an app registration with Exchange Online's IMAP.AccessAsApp permission
(one form POST, so plain `requests`). Google Workspace: a service account with domain-wide delegation signs a JWT
(RFC 7523) for the mailbox; google-auth builds and signs it from the key file. A token is kept in this process until
shortly before it expires: it lives an hour, so each worker process asks about once an hour, and no token or secret
is ever written to the database or the shared cache.
"""

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

MICROSOFT = "microsoft"
GOOGLE = "google"
MICROSOFT_TOKEN_URL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"  # noqa: S105 (a URL)
MICROSOFT_SCOPE = "https://outlook.office365.com/.default"
GOOGLE_SCOPE = "https://mail.google.com/"
# Fetch a new token this long before the old one expires, so a slow poll or a skewed clock never uses a dead one.
REFRESH_MARGIN = timedelta(minutes=5)
TIMEOUT_SECONDS = 15
REASON_MAX_LENGTH = 200


class TokenRefused(Exception):
    """The provider refused to issue a token (wrong or expired secret, no consent, no delegation): an admin must act."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class TokenEndpointUnavailable(OSError):
    """The token endpoint did not answer or failed on its side; the next poll tries again."""


@dataclass(frozen=True)
class OAuthClient:
    """Who asks for the mailbox's tokens; the secrets come from the environment only."""

    provider: str
    mailbox: str
    tenant_id: str = ""
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    service_account_file: str = ""
    token_url: str = ""  # tests only: the provider's token endpoint otherwise

    @classmethod
    def from_settings(cls, *, default_mailbox: str = "") -> "OAuthClient":
        return cls(
            provider=settings.INBOUND_IMAP_AUTH,
            mailbox=settings.INBOUND_OAUTH_MAILBOX or default_mailbox,
            tenant_id=settings.INBOUND_OAUTH_TENANT_ID,
            client_id=settings.INBOUND_OAUTH_CLIENT_ID,
            client_secret=settings.INBOUND_OAUTH_CLIENT_SECRET,
            service_account_file=settings.INBOUND_OAUTH_SERVICE_ACCOUNT_FILE,
            token_url=settings.INBOUND_OAUTH_TOKEN_URL,
        )

    def missing_settings(self) -> list[str]:
        """Name the settings this provider needs that are empty."""
        needed = {"INBOUND_OAUTH_MAILBOX": self.mailbox}
        if self.provider == MICROSOFT:
            needed |= {
                "INBOUND_OAUTH_TENANT_ID": self.tenant_id,
                "INBOUND_OAUTH_CLIENT_ID": self.client_id,
                "INBOUND_OAUTH_CLIENT_SECRET": self.client_secret,
            }
        else:
            needed |= {"INBOUND_OAUTH_SERVICE_ACCOUNT_FILE": self.service_account_file}
        return [name for name, value in needed.items() if not value]


@dataclass(frozen=True)
class AccessToken:
    value: str = field(repr=False)
    expires_at: datetime

    def is_fresh(self, *, now: datetime) -> bool:
        return now < self.expires_at - REFRESH_MARGIN


_kept: dict[OAuthClient, AccessToken] = {}
_kept_lock = threading.Lock()


def access_token_kept(*, client: OAuthClient) -> AccessToken | None:
    """Return this process's token for the mailbox while it has more than REFRESH_MARGIN to live."""
    with _kept_lock:
        token = _kept.get(client)
    return token if token and token.is_fresh(now=datetime.now(tz=UTC)) else None


def access_token_fetch(*, client: OAuthClient) -> AccessToken:
    """Ask the provider for a new token and keep it; raise TokenRefused or TokenEndpointUnavailable."""
    token = _microsoft_token(client) if client.provider == MICROSOFT else _google_token(client)
    with _kept_lock:
        _kept[client] = token
    logger.info("New %s access token for the help desk mailbox %s", client.provider, client.mailbox)
    return token


def access_token_forget(*, client: OAuthClient | None = None) -> None:
    """Drop the kept token (every kept token without a client), e.g. after the mail server refused it."""
    with _kept_lock:
        if client is None:
            _kept.clear()
        else:
            _kept.pop(client, None)


def _microsoft_token(client: OAuthClient) -> AccessToken:
    url = client.token_url or MICROSOFT_TOKEN_URL.format(tenant=quote(client.tenant_id, safe=""))
    form = {
        "grant_type": "client_credentials",
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "scope": MICROSOFT_SCOPE,
    }
    try:
        response = requests.post(url, data=form, timeout=TIMEOUT_SECONDS)
        body = response.json()
    except requests.RequestException as exc:  # includes a body that is not JSON
        raise TokenEndpointUnavailable(f"Microsoft's token endpoint did not answer: {exc}") from exc
    body = body if isinstance(body, dict) else {}
    if response.status_code in (400, 401, 403):  # RFC 6749 5.2: invalid_client, invalid_grant, unauthorized_client
        raise TokenRefused(_error_text(body))
    if response.status_code != 200 or not body.get("access_token"):
        raise TokenEndpointUnavailable(f"Microsoft's token endpoint answered HTTP {response.status_code}")
    lifetime = timedelta(seconds=int(body.get("expires_in", 3599)))
    return AccessToken(value=body["access_token"], expires_at=datetime.now(tz=UTC) + lifetime)


def _google_token(client: OAuthClient) -> AccessToken:
    from google.auth.exceptions import RefreshError, TransportError
    from google.auth.transport.requests import Request
    from google.oauth2 import service_account

    try:
        credentials = service_account.Credentials.from_service_account_file(
            client.service_account_file, scopes=[GOOGLE_SCOPE], subject=client.mailbox
        )
    except (OSError, ValueError) as exc:  # missing, unreadable or not a service account key
        raise TokenRefused(f"the service account key file could not be read ({exc.__class__.__name__})") from exc
    if client.token_url:
        credentials = credentials.with_token_uri(client.token_url)
    http = Request()
    try:
        # google-auth waits 120 s by default; the poll runs every minute.
        credentials.refresh(lambda **kwargs: http(timeout=TIMEOUT_SECONDS, **kwargs))
    except RefreshError as exc:
        if exc.retryable:
            raise TokenEndpointUnavailable(f"Google's token endpoint failed: {exc.args[0]}") from exc
        raise TokenRefused(_shorten(str(exc.args[0]))) from exc
    except TransportError as exc:
        raise TokenEndpointUnavailable(f"Google's token endpoint did not answer: {exc}") from exc
    # google-auth keeps a naive UTC expiry.
    return AccessToken(value=credentials.token, expires_at=credentials.expiry.replace(tzinfo=UTC))


def _error_text(body: dict) -> str:
    # Entra ID's descriptions run on with trace and correlation ids; their first line says what is wrong.
    description = str(body.get("error_description") or "").splitlines()
    text = ": ".join(part for part in (str(body.get("error") or ""), *description[:1]) if part)
    return _shorten(text or "the token endpoint refused the request")


def _shorten(text: str) -> str:
    return text if len(text) <= REASON_MAX_LENGTH else text[: REASON_MAX_LENGTH - 1] + "…"
