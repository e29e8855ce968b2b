"""A small browser-like HTTP(S) client for the deploy check and process-level tests: cookies, CSRF, file uploads.

It never follows redirects, so each hop (HTTP to HTTPS, submit to confirmation) can be checked.
"""

import http.client
import re
import ssl
import uuid
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urlencode, urlsplit

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_KEY_INPUT = re.compile(r'name="submission_key" value="([^"]+)"')
SELECT = re.compile(r'<select name="(?P<name>[^"]+)"[^>]*>(?P<options>.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(?P<value>[^"]*)"[^>]*>(?P<label>[^<]*)</option>')


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header_list(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []


@dataclass
class Browser:
    base_url: str  # http://127.0.0.1:8000 or https://localhost:8443
    ssl_context: ssl.SSLContext | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None) -> Response:
        parts = urlsplit(self.base_url)
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(parts.netloc, timeout=self.timeout, context=self.ssl_context)
        else:
            connection = http.client.HTTPConnection(parts.netloc, timeout=self.timeout)
        sent = {"Host": parts.netloc, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        for cookie in response.header_list("Set-Cookie"):
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def get(self, path: str, **headers) -> Response:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, fields: dict, files: dict | None = None, *, headers: dict | None = None) -> Response:
        """Post like a browser: the Referer and Origin of this site, urlencoded or multipart when there are files."""
        sent = {"Referer": self.base_url + path, "Origin": self.base_url, **(headers or {})}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = urlencode(fields, doseq=True).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, body=body, headers={**sent, "Content-Type": content_type})


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    if not match:
        raise AssertionError("The page has no CSRF token field")
    return match.group(1)


def select_options(html: str) -> dict[str, dict[str, str]]:
    """Each <select> on the page: {name: {label: value}}, without the empty choice."""
    return {
        found["name"]: {
            option["label"].strip(): option["value"] for option in OPTION.finditer(found["options"]) if option["value"]
        }
        for found in SELECT.finditer(html)
    }


def multipart(fields: dict, files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """Encode form fields and files ({field: (filename, content, content type)}) as multipart/form-data."""
    boundary = uuid.uuid4().hex
    chunks = []
    for name, value in fields.items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        chunks.append(head.encode() + content + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def ticket_form_fields(html: str, *, requester_email: str) -> dict:
    """The Submit a ticket form's fields, filled in with a request no routing rule claims."""
    options = select_options(html)
    types, schools = options["ticket_type"], options["school"]
    key = SUBMISSION_KEY_INPUT.search(html)
    return {
        "csrfmiddlewaretoken": csrf_token(html),
        "submission_key": key.group(1) if key else "",  # the form's one-time key, as a browser sends it
        "requester_email": requester_email,
        "subject": "Projector in room 12 will not turn on",
        "ticket_type": types.get("Interactive board / Projector") or next(iter(types.values())),
        "priority": options["priority"].get("Medium", "2"),
        "school": next(iter(schools.values())),
        "classroom": "12",
        "description": "The projector light blinks orange and the screen stays blue. No error message.",
    }
