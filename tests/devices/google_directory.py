"""A loopback stand-in for Google: the OAuth token endpoint (a JWT signed with the service account's key, RFC 7523)
and the Admin SDK's chromeosdevices.list, answering with recorded pages (tests/devices/recorded/) page by page."""

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

RECORDED = Path(__file__).parent / "recorded"
AUDIENCE = "https://oauth2.googleapis.com/token"
SCOPE = "https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly"
LIST_PATH = "/admin/directory/v1/customer/my_customer/devices/chromeos"
PAGES = {"": "chromeos_page_1.json", "AFXr2-page-2": "chromeos_page_2.json", "AFXr2-page-3": "chromeos_page_3.json"}


class GoogleDirectory:
    def __init__(self, *, admin: str):
        self.admin = admin
        self.service_account = "helpdesk-devices@npsd-helpdesk.iam.gserviceaccount.com"
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.tokens: set[str] = set()
        self.requests: list[dict] = []
        self.fail_with: int | None = None
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def key_file_info(self) -> dict:
        pem = self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        return {
            "type": "service_account",
            "project_id": "npsd-helpdesk",
            "private_key_id": "test-key-1",
            "private_key": pem,
            "client_email": self.service_account,
            "client_id": "102",
            "token_uri": f"{self.url}/token",
        }

    def token(self, form: dict) -> tuple[int, dict]:
        try:
            claims = jwt.decode(
                form.get("assertion", ""),
                self.private_key.public_key(),
                algorithms=["RS256"],
                audience=AUDIENCE,
                issuer=self.service_account,
            )
        except jwt.PyJWTError as exc:
            return 400, {"error": "invalid_grant", "error_description": str(exc)}
        if claims.get("sub") != self.admin or claims.get("scope") != SCOPE:
            return 401, {"error": "unauthorized_client", "error_description": "Client is unauthorized."}
        token = secrets.token_urlsafe(16)
        self.tokens.add(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600}

    def devices(self, path: str, query: dict, authorization: str) -> tuple[int, dict]:
        self.requests.append({"path": path, **query})
        if authorization.removeprefix("Bearer ") not in self.tokens:
            return 401, {"error": {"code": 401, "message": "Request had invalid authentication credentials."}}
        if self.fail_with:
            return self.fail_with, {"error": {"code": self.fail_with, "message": "Backend Error"}}
        if path != LIST_PATH or query.get("pageToken", "") not in PAGES:
            return 404, {"error": {"code": 404, "message": "Not Found"}}
        return 200, json.loads((RECORDED / PAGES[query.get("pageToken", "")]).read_text())


def _handler(server: GoogleDirectory) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: dict) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            self._send(*server.token(form))

        def do_GET(self):  # noqa: N802
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            self._send(*server.devices(parts.path, query, self.headers.get("Authorization", "")))

        def log_message(self, format, *args):  # noqa: A002
            pass

    return Handler
