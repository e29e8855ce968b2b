"""Headers every page carries: the Content Security Policy, no-store on private pages, HSTS from the environment."""

import io
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse

from district.attachments import check_uploads
from helpdesk.requester_session import SESSION_KEY as REQUESTER_SESSION_KEY
from tests.factories import SchoolFactory
from tests.files import pdf_bytes, upload
from tickets.links import feedback_url, reopen_url, ticket_link_url
from tickets.models import Ticket
from tickets.services import ticket_create

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parent.parent.parent
PAT = "pat.lee@northpanolaschools.org"
PUBLIC_PAGES = ["/", "/policy/", "/tickets/new/", "/requests/mass-email/", "/requests/media/", "/requests/quote/"]


@pytest.fixture
def ticket(district_defaults):
    files, _ = check_uploads([upload("manual.pdf", pdf_bytes())], max_files=5, max_bytes=10**7, total_max_bytes=10**8)
    return ticket_create(
        requester_email=PAT,
        subject="Projector",
        school=SchoolFactory(),
        classroom="3",
        description="Blue screen on the projector.",
        attachments=files,
    )


def path_of(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[-1].join(["/", ""])


def technician_pages(ticket: Ticket) -> list[str]:
    return [
        reverse("tickets:queue"),
        reverse("tickets:queue_export"),
        reverse("tickets:detail", args=[ticket.number]),
        reverse("tickets:attachment", args=[ticket.number, ticket.attachments.get().pk]),
        reverse("tickets:reports"),
        "/admin/",
        f"/admin/tickets/ticket/{ticket.pk}/change/",
        "/",  # a public page, but the header names the technician
    ]


def requester_pages(ticket: Ticket) -> list[str]:
    """Pages for a requester signed in to My tickets, and the pages their email links open."""
    return [
        reverse("tickets:my_tickets"),
        reverse("tickets:my_ticket", args=[ticket.public_id]),
        path_of(ticket_link_url(ticket)),
        path_of(reopen_url(ticket)),
        path_of(feedback_url(ticket, "solved")),
        reverse("tickets:my_sign_in", args=["not-a-real-token"]),
        reverse("tickets:submitted", args=[ticket.public_id]),
        reverse("tickets:added", args=[ticket.public_id]),
        reverse("routing:forwarded", args=[uuid.uuid4()]),
        reverse("routing:request_sent", args=[uuid.uuid4()]),
        reverse("routing:request_file", args=["not-a-real-token"]),
        "/requests/mass-email/?from=1",  # a request form filled from what the person typed on the ticket form
        "/no-such-page/",
    ]


def test_every_page_carries_the_content_security_policy(client, admin_client, ticket):
    session = client.session
    session[REQUESTER_SESSION_KEY] = PAT
    session.save()
    responses = [client.get(url) for url in [*PUBLIC_PAGES, *requester_pages(ticket), "/accounts/login/"]]
    responses += [admin_client.get(url) for url in technician_pages(ticket)]
    responses.append(client.post("/tickets/new/", {"description": "x"}))

    for response in responses:
        policy = response["Content-Security-Policy"]
        directives = dict(directive.strip().split(" ", 1) for directive in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self' https://www.google.com/recaptcha/ https://www.gstatic.com/recaptcha/"
        assert (directives["object-src"], directives["frame-ancestors"]) == ("'none'", "'none'")
        assert (directives["base-uri"], directives["form-action"]) == ("'self'", "'self'")


def test_pages_showing_a_ticket_a_person_or_a_file_are_never_stored(client, admin_client, ticket):
    session = client.session
    session[REQUESTER_SESSION_KEY] = PAT
    session.save()
    private = {url: client.get(url) for url in requester_pages(ticket)}
    private |= {f"technician {url}": admin_client.get(url) for url in technician_pages(ticket)}
    private["POST /my/"] = client.post("/my/", {"email": PAT})

    assert {url: response.status_code for url, response in private.items() if response.status_code >= 500} == {}
    assert {url for url, response in private.items() if "no-store" not in response.get("Cache-Control", "")} == set()
    assert private[reverse("tickets:my_tickets")].status_code == 200  # really the signed-in list, not a redirect


def test_public_pages_may_be_cached_by_the_browser(client, district_defaults):
    """So that Back after a slip keeps what the person typed; they show no ticket, person or file."""
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url


def test_ticket_confirmation_page_is_never_stored(client, ticket_fields):
    response = client.post("/tickets/new/", {**ticket_fields, "requester_email": PAT})
    confirmation = client.get(response["Location"])
    assert "Ticket #" in confirmation.content.decode()
    assert "no-store" in confirmation["Cache-Control"]


def test_hsts_comes_from_the_environment(client, settings, district_defaults):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_oversized_upload_does_not_reach_the_ticket(client, ticket_fields, settings):
    """The Django test client sets CONTENT_LENGTH like a browser; the WSGI test checks the body is never read."""
    settings.HELPDESK_ATTACHMENTS_TOTAL_MAX_BYTES = 1024
    big = upload("big.pdf", pdf_bytes() + b"0" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 2048))
    response = client.post("/tickets/new/", {**ticket_fields, "requester_email": PAT, "attachments": [big]})
    assert response.status_code == 413
    assert not Ticket.objects.exists()


class UnreadableBody(io.RawIOBase):
    """A 40 MB upload that records whether anyone started reading it."""

    def __init__(self):
        self.bytes_read = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self.bytes_read += len(buffer)
        buffer[:] = b"0" * len(buffer)
        return len(buffer)


def test_forty_megabyte_post_is_refused_before_its_body_is_read(district_defaults):
    body = UnreadableBody()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/tickets/new/",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "multipart/form-data; boundary=----npsd",
        "CONTENT_LENGTH": str(40 * 1024 * 1024),
        "wsgi.input": io.BufferedReader(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    # As Django's test client does: keep the test's database connection (and transaction) open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        page = b"".join(get_wsgi_application()(environ, start_response)).decode()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

    assert started["status"].startswith("413")
    assert body.bytes_read == 0
    assert "The files attached to one form can add up to <strong>25 MB</strong> in total" in page
    assert "Content-Security-Policy" in started["headers"]


def settings_in_a_new_process(environment: dict, *names: str) -> list:
    """Import the real settings (not the test settings) with only the given environment, and return the values."""
    code = f"import json, helpdesk.settings as s; print(json.dumps([getattr(s, n) for n in {names!r}]))"
    env = {"PATH": os.environ["PATH"], "DJANGO_SECRET_KEY": "x" * 50, **environment}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=BASE_DIR, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_a_server_without_email_url_sends_through_its_mail_server_and_never_prints_emails():
    """Sign-in links must not end up in a log: only a developer (DEBUG) gets the console backend."""
    server = settings_in_a_new_process({"DJANGO_DEBUG": "false"}, "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT")
    assert server == ["django.core.mail.backends.smtp.EmailBackend", "localhost", 25]
    developer = settings_in_a_new_process({"DJANGO_DEBUG": "true"}, "EMAIL_BACKEND")
    assert developer == ["django.core.mail.backends.console.EmailBackend"]


def test_hsts_settings_are_read_from_the_environment():
    environment = {"DJANGO_HSTS_SECONDS": "31536000", "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "true"}
    assert settings_in_a_new_process(environment, "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS") == [
        31_536_000,
        True,
    ]


INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.I
)


def test_page_templates_hold_no_inline_script_event_handler_or_style_attribute():
    """The policy would block them; scripts live in static/js/ and take their data from data-* or json_script."""
    found = [
        f"{path.relative_to(BASE_DIR)}: {match.group(0).strip()}"
        for path in (BASE_DIR / "templates").rglob("*.html")
        if "notifications/email" not in path.as_posix()  # emails are not pages; mail clients need inline styles
        for match in INLINE_CODE.finditer(path.read_text())
    ]
    assert found == []


def test_recaptcha_widget_loads_only_googles_script(client, settings, district_defaults):
    settings.RECAPTCHA_PUBLIC_KEY, settings.RECAPTCHA_PRIVATE_KEY = "public-key", "private-key"
    settings.RECAPTCHA_ENABLED = True
    page = client.get("/tickets/new/").content.decode()
    scripts = re.findall(r"<script[^>]*>", page)
    assert '<script src="https://www.google.com/recaptcha/api.js" async defer>' in scripts
    assert all("src=" in script for script in scripts)
    assert 'class="g-recaptcha"' in page and "data-callback" not in page
