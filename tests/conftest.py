import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from email import message_from_bytes, policy
from importlib import import_module
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection

from tests.factories import SchoolFactory, TechnicianFactory, TicketTypeFactory

# Playwright runs an event loop in the test thread; the ORM calls tests make beside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BASE_DIR = Path(__file__).resolve().parent.parent
SERVICE_MARKERS = {"postgres": "postgres", "redis": "redis", "browser": "chromium", "imap": "dovecot", "vnu": "vnu"}


def pytest_collection_modifyitems(config, items):
    """Mark browser tests, and skip tests whose real service is missing (CI makes a missing service an error)."""
    for item in items:
        if "tests/browser/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
        for marker, service in SERVICE_MARKERS.items():
            if item.get_closest_marker(marker) and not django_settings.SERVICES[service]:
                item.add_marker(pytest.mark.skip(reason=f"{service} is not available on this machine"))


def pytest_report_header(config):
    services = ", ".join(
        f"{name}: {'yes' if up else 'NO (tests skipped)'}" for name, up in django_settings.SERVICES.items()
    )
    return f"real services: {services}; database: {django_settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True)
def _forget_kept_tables():
    """Each test starts with nothing kept: rows a rolled-back test created must not be remembered (helpdesk.kept)."""
    from helpdesk.kept import forget_all

    forget_all()
    yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ["CHROMIUM_PATH"],
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def page(page):
    """A page that never reaches Google: the reCAPTCHA script is blocked like on an offline machine."""
    page.route(r"https://www\.(google|gstatic)\.com/.*", lambda route: route.abort())
    # The test OpenID provider's pages style themselves from a CDN; an empty sheet keeps them offline and quiet.
    page.route("https://cdn.jsdelivr.net/**", lambda route: route.fulfill(status=200, content_type="text/css", body=""))
    page.set_default_timeout(10_000)
    return page


class SeedApps:
    """The app registry as the seed migrations ask it: by the app a model had when they were written (School and
    TicketType were tickets' then, district's since tickets migration 0020)."""

    MOVED_TO = {("tickets", "school"): "district", ("tickets", "tickettype"): "district"}

    def get_model(self, app_label: str, model_name: str):
        from django.apps import apps

        return apps.get_model(self.MOVED_TO.get((app_label, model_name.lower()), app_label), model_name)


@pytest.fixture
def district_defaults(db):
    """The schools, types and counter the seed migration loads; transactional tests flush them, so load again."""
    import_module("tickets.migrations.0002_seed_schools_and_types").seed(SeedApps(), None)


@pytest.fixture
def district_policy(district_defaults):
    """The rules and contacts the seed migrations load; transactional tests flush them, so load them again."""
    import_module("routing.migrations.0002_seed_district_policy").seed(SeedApps(), None)
    import_module("routing.migrations.0004_policy_sections_and_message_placeholders").use_placeholders(SeedApps(), None)


@pytest.fixture
def ticket_fields(district_defaults):
    """Valid ticket form data, minus the requester."""
    return {
        "subject": "Projector in room 12 will not turn on",
        "ticket_type": TicketTypeFactory(name="Interactive board / Projector").pk,
        "priority": "2",
        "school": SchoolFactory(name="Green Hill Elementary School").pk,
        "classroom": "12",
        "description": "The projector light blinks orange and the screen stays blue. No error message.",
    }


@pytest.fixture
def technician(db):
    return TechnicianFactory(username="casey", first_name="Casey", last_name="Jones")


@pytest.fixture
def tech_client(client, technician):
    client.force_login(technician)
    return client


class RecordingHandler:
    def __init__(self):
        self.messages = []
        self.received = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.received:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            self.received.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int = 1, timeout: float = 15.0) -> list:
        deadline = time.monotonic() + timeout
        with self.received:
            while len(self.messages) < count and time.monotonic() < deadline:
                self.received.wait(timeout=max(0.0, deadline - time.monotonic()))
        return list(self.messages)


def wait_until(condition, timeout: float = 15.0, interval: float = 0.05):
    """Poll until condition() is truthy (another process is doing the work); return its last value."""
    deadline = time.monotonic() + timeout
    while not (result := condition()) and time.monotonic() < deadline:
        time.sleep(interval)
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback (aiosmtpd); Django's mail in this process goes to it."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture
def celery_worker_factory(smtp_server):
    """Start a real Celery worker process on Redis, on the test database, sending to the test SMTP server."""
    from helpdesk.celery import app

    workers = []

    def start(*, beat: bool = False, extra_env: dict | None = None) -> subprocess.Popen:
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
            "CELERY_TASK_DEFAULT_QUEUE": django_settings.CELERY_TASK_DEFAULT_QUEUE,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
            "HELPDESK_PRIVATE_MEDIA_ROOT": str(django_settings.PRIVATE_MEDIA_ROOT),
            **(extra_env or {}),
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "helpdesk",
            "worker",
            "--pool",
            "solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "INFO",
            "-Q",
            django_settings.CELERY_TASK_DEFAULT_QUEUE,
        ]
        if beat:
            command += ["--beat", "--schedule", str(Path(django_settings.PRIVATE_MEDIA_ROOT) / f"beat-{len(workers)}")]
        worker = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        workers.append(worker)
        return worker

    app.conf.task_always_eager = False
    yield start
    app.conf.task_always_eager = True
    for worker in workers:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        sys.stdout.write(output.decode(errors="replace")[-4000:])


@pytest.fixture(autouse=True)
def _rate_limit_counts_per_test(settings):
    """Each test starts with no rate limit counted (keys under a fresh prefix; old ones expire in Redis)."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl-{uuid.uuid4().hex}:"
