"""The faults suite's own services: a PostgreSQL cluster, Redis, an SMTP server that can refuse or hang, gunicorn,
a Celery worker and beat, all on free loopback ports and all stopped by their process ids afterwards."""

import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.cookiejar import CookieJar
from pathlib import Path

from aiosmtpd.controller import Controller

from tests.conftest import free_port

logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per SMTP command otherwise

BASE_DIR = Path(__file__).resolve().parents[2]
# The newest installed server (Debian 12: 15), unless HELPDESK_FAULTS_PG_BIN names another bin folder.
PG_BIN = Path(
    os.environ.get("HELPDESK_FAULTS_PG_BIN")
    or max(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name),
        default="/usr/lib/postgresql/15/bin",
    )
)


def wait_for(condition, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(f"Timed out after {timeout:.0f} s waiting for {what}")


def port_open(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class PostgresCluster:
    """A throwaway cluster (initdb); as root its commands run as the postgres user (initdb refuses root)."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()
        self.data = folder / "data"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *command: str) -> None:
        subprocess.run([*self.as_postgres, *command], check=True, capture_output=True, timeout=90)

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-o", options, "start"
        )

    def restart(self) -> None:
        """Stop with 'fast' (open sessions are cut off, as in an update or failover) and start again."""
        log = str(self.folder / "log")  # without -l the server keeps our output pipe open
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", log, "-m", "fast", "-w", "restart")

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(
                [*self.as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                capture_output=True,
                check=False,
            )
            shutil.rmtree(self.data, ignore_errors=True)  # about 40 MB; the server's log stays beside it

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


class RedisServer:
    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None

    def start(self) -> None:
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen([*command, "--dir", str(self.folder)], stdout=subprocess.DEVNULL)
        wait_for(lambda: port_open(self.port), timeout=10, what="Redis")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class FaultySMTPHandler:
    """Records every message; can answer 451 (try later), or hold one message so its sender can be killed."""

    def __init__(self):
        self.messages: list = []
        self.lock = threading.Lock()
        self.refusing = False
        self.hold_next = threading.Event()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "451 4.3.0 Mail server temporarily unavailable, try again later"
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        if self.hold_next.is_set():
            # The message is stored, as a real relay would; the sender dies before it hears the 250.
            self.hold_next.clear()
            self.holding.set()
            await _wait_event(self.release, timeout=20)
        return "250 Message accepted for delivery"


async def _wait_event(event: threading.Event, *, timeout: float) -> None:
    import asyncio

    deadline = time.monotonic() + timeout
    while not event.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def smtp_start() -> tuple[FaultySMTPHandler, Controller]:
    handler = FaultySMTPHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return handler, controller


@dataclass
class AppProcesses:
    """gunicorn, a Celery worker and Celery beat, all reading the same environment."""

    env: dict
    folder: Path
    web_port: int = field(default_factory=free_port)
    processes: dict = field(default_factory=dict)

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env, check=True, capture_output=True
        )

    def _spawn(self, name: str, command: list[str]) -> None:
        log = (self.folder / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=log)

    def start_web(self) -> None:
        gunicorn = [sys.executable, "-m", "gunicorn", "helpdesk.wsgi", "-b", f"127.0.0.1:{self.web_port}"]
        self._spawn("web", [*gunicorn, "-w", "2", "--timeout", "60", "--access-logfile", "-"])
        wait_for(lambda: port_open(self.web_port), timeout=30, what="gunicorn")

    def start_worker(self) -> None:
        celery = [sys.executable, "-m", "celery", "-A", "helpdesk"]
        self._spawn(
            "worker", [*celery, "worker", "--pool", "solo", "--without-mingle", "--without-gossip", "-l", "INFO"]
        )

    def start_beat(self) -> None:
        celery = [sys.executable, "-m", "celery", "-A", "helpdesk"]
        self._spawn("beat", [*celery, "beat", "-l", "INFO", "--schedule", str(self.folder / "beat-schedule")])

    def kill_worker(self) -> None:
        worker = self.processes["worker"]
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Outcome:
    accepted: list = field(default_factory=list)  # requester addresses whose ticket the site confirmed
    errors: list = field(default_factory=list)  # (status or exception, path)


def submit_ticket(*, base_url: str, requester: str, outcome: Outcome, lock: threading.Lock) -> None:
    """Load the form like a browser (cookie and CSRF token), post it, and record what the site answered."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)
    try:
        form = opener.open(f"{base_url}/tickets/new/", timeout=30).read().decode()
        fields = {
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1),
            # The form's one-time key: a POST retried after the PostgreSQL restart then stores one ticket.
            "submission_key": re.search(r'name="submission_key" value="([^"]+)"', form).group(1),
            "requester_email": requester,
            "subject": "Projector in room 12 will not turn on",
            "ticket_type": _first_option(form, "ticket_type"),
            "priority": "2",
            "school": _first_option(form, "school"),
            "classroom": "12",
            "description": "The projector light blinks orange and the screen stays blue. No error message.",
        }
        request = urllib.request.Request(f"{base_url}/tickets/new/", data=urllib.parse.urlencode(fields).encode())
        request.add_header("Referer", f"{base_url}/tickets/new/")
        response = opener.open(request, timeout=30)
        status, location = response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as exc:
        status, location = exc.code, exc.headers.get("Location", "")
    except (OSError, AttributeError) as exc:
        with lock:
            outcome.errors.append((repr(exc), requester))
        return
    with lock:
        if status == 302 and "/tickets/submitted/" in location:
            outcome.accepted.append(requester)
        else:
            outcome.errors.append((status, requester))


def _first_option(html: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="(\d+)"', select).group(1)
