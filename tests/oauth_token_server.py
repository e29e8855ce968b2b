"""A small OAuth 2.0 authorization server on loopback, standing in for Microsoft Entra ID and Google's token endpoint.

It issues tokens the way each provider does for a help desk mailbox (RFC 6749 client credentials for Microsoft 365,
an RFC 7523 JWT-bearer assertion signed with the service account's key for Google Workspace) and answers Dovecot's
token introspection (RFC 7662), so the IMAP server decides whether a token is still good, as Exchange or Gmail do.
"""

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

MICROSOFT_SCOPE = "https://outlook.office365.com/.default"
GOOGLE_SCOPE = "https://mail.google.com/"
GOOGLE_AUDIENCE = "https://oauth2.googleapis.com/token"  # what google-auth puts in "aud", whatever the token URL
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@dataclass
class Issued:
    username: str
    expires_at: float
    active: bool = True


@dataclass
class TokenServer:
    """Tokens for one mailbox; `revoked` makes the token endpoint refuse the client, as after a secret is deleted."""

    mailbox: str
    tenant_id: str = "district-tenant"
    client_id: str = "helpdesk-app"
    client_secret: str = "app-secret"  # noqa: S105 (a test value)
    service_account: str = "helpdesk-poller@npsd-helpdesk.iam.gserviceaccount.com"
    expires_in: int = 3600
    revoked: bool = False
    tokens: dict[str, Issued] = field(default_factory=dict)
    introspected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # -- what tests use -------------------------------------------------------------------------------------------

    def start(self) -> "TokenServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def microsoft_token_url(self) -> str:
        return f"{self.base_url}/{self.tenant_id}/oauth2/v2.0/token"

    @property
    def google_token_url(self) -> str:
        return f"{self.base_url}/token"

    @property
    def introspection_url(self) -> str:
        return f"{self.base_url}/introspect"

    @property
    def issued_count(self) -> int:
        return len(self.tokens)

    def expire_all(self) -> None:
        """Every token issued so far stops working now, though the client was told it had an hour."""
        with self.lock:
            for issued in self.tokens.values():
                issued.expires_at = time.time() - 1

    def service_account_info(self, *, token_uri: str = GOOGLE_AUDIENCE) -> dict:
        """The JSON key file Google Cloud's console downloads for a service account."""
        pem = self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        return {
            "type": "service_account",
            "project_id": "npsd-helpdesk",
            "private_key_id": "test-key-1",
            "private_key": pem,
            "client_email": self.service_account,
            "client_id": "101",
            "token_uri": token_uri,
        }

    # -- the endpoints --------------------------------------------------------------------------------------------

    def token(self, path: str, form: dict[str, str]) -> tuple[int, dict]:
        if path == f"/{self.tenant_id}/oauth2/v2.0/token":
            return self._client_credentials(form)
        if path == "/token":
            return self._jwt_bearer(form)
        return 404, {"error": "not_found"}

    def introspect(self, form: dict[str, str]) -> dict:
        token = form.get("token", "")
        with self.lock:
            self.introspected.append(token)
            issued = self.tokens.get(token)
        if issued is None or not issued.active or issued.expires_at <= time.time():
            return {"active": False}
        return {"active": True, "username": issued.username, "exp": int(issued.expires_at)}

    def _client_credentials(self, form: dict[str, str]) -> tuple[int, dict]:
        if form.get("grant_type") != "client_credentials" or form.get("scope") != MICROSOFT_SCOPE:
            return 400, {"error": "invalid_request", "error_description": "AADSTS900144: bad grant or scope."}
        if self.revoked or (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret):
            return 401, {
                "error": "invalid_client",
                # Entra ID's shape: the first line says what is wrong, the rest is for Microsoft's support.
                "error_description": "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 5d3f"
                "\r\nCorrelation ID: 9a1c\r\nTimestamp: 2026-12-02 07:00:00Z",
            }
        return 200, self._issue()

    def _jwt_bearer(self, form: dict[str, str]) -> tuple[int, dict]:
        if form.get("grant_type") != JWT_BEARER:
            return 400, {"error": "unsupported_grant_type"}
        try:
            claims = jwt.decode(
                form.get("assertion", ""),
                self.private_key.public_key(),
                algorithms=["RS256"],
                audience=GOOGLE_AUDIENCE,
                issuer=self.service_account,
                options={"require": ["iss", "aud", "exp", "iat", "sub", "scope"]},
            )
        except jwt.PyJWTError as exc:
            return 400, {"error": "invalid_grant", "error_description": f"Invalid JWT: {exc}"}
        if self.revoked:
            return 401, {"error": "invalid_client", "error_description": "The OAuth client was deleted."}
        if claims["sub"] != self.mailbox or claims["scope"] != GOOGLE_SCOPE:
            return 401, {
                "error": "unauthorized_client",
                "error_description": "Client is unauthorized to retrieve access tokens using this method.",
            }
        return 200, self._issue()

    def _issue(self) -> dict:
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = Issued(username=self.mailbox, expires_at=time.time() + self.expires_in)
        return {"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in}


def _handler(server: TokenServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
            if self.path == "/introspect":
                status, body = 200, server.introspect(form)
            else:
                status, body = server.token(self.path, form)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):  # noqa: A002 (http.server's name)
            pass  # quiet: pytest shows the test's own output

    return Handler
