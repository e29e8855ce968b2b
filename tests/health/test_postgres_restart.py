"""A PostgreSQL restart under the running site costs no request: kept connections are checked before reuse.

The test starts its own throwaway cluster (initdb, pg_ctl), serves the site from it with gunicorn and the default
settings, restarts the server and submits a ticket. Without CONN_HEALTH_CHECKS (DATABASE_CONN_HEALTH_CHECKS=false)
the first request after the restart is a 500, and this test fails.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest

from scripts.https_client import Browser, ticket_form_fields
from tests.conftest import BASE_DIR, free_port

pytestmark = pytest.mark.postgres
PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name))


class Cluster:
    def __init__(self, directory: Path):
        self.directory, self.port = directory, free_port()
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        if self.as_owner:
            shutil.chown(directory, "postgres", "postgres")
        self._run("initdb", "-D", "data", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")

    def _run(self, program: str, *args: str):
        command = [*self.as_owner, str(PG_BINS[-1] / program), *args]
        subprocess.run(command, cwd=self.directory, check=True, capture_output=True, timeout=60)

    def ctl(self, action: str):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", "data", "-l", "server.log", "-w", "-m", "fast", "-o", options, action)

    def ticket_count(self) -> int:
        with psycopg2.connect(self.url) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tickets_ticket")
            return cursor.fetchone()[0]


@pytest.fixture(scope="module")
def cluster():
    if not PG_BINS:
        pytest.skip("PostgreSQL's server programs (/usr/lib/postgresql/N/bin) are not installed")
    directory = Path(tempfile.mkdtemp(prefix="helpdesk-pg-restart-"))
    server = Cluster(directory)
    server.ctl("start")
    yield server
    server.ctl("stop")
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def site(cluster, tmp_path_factory):
    """The site on the cluster, served by one gunicorn worker that keeps its database connection (CONN_MAX_AGE)."""
    tmp_path = tmp_path_factory.mktemp("site")
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("DATABASE_CONN_")},
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "postgres-restart-test-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_COOKIES": "false",
        "DATABASE_URL": cluster.url,
        "DATABASE_CONN_MAX_AGE": "600",
        "CELERY_BROKER_URL": "",
        "EMAIL_URL": "consolemail://",
        "HELPDESK_PRIVATE_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "--verbosity", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True)
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "helpdesk.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"]
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    browser = Browser(f"http://127.0.0.1:{port}", timeout=20)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            browser.get("/healthz")
            break
        except OSError:
            time.sleep(0.2)
    yield browser
    server.terminate()
    server.wait(timeout=20)
    sys.stdout.write((tmp_path / "gunicorn.log").read_text(errors="replace")[-4000:])


def test_ticket_submitted_after_postgres_restart(cluster, site):
    assert site.get("/tickets/new/").status == 200  # the worker now holds a connection to the server

    cluster.ctl("restart")

    form = site.get("/tickets/new/")
    assert form.status == 200, form.text[:500]
    fields = ticket_form_fields(form.text, requester_email="pat.lee@northpanolaschools.org")
    submitted = site.post_form("/tickets/new/", fields)
    assert submitted.status == 302, submitted.text[:2000]
    assert site.get(submitted.headers["Location"]).status == 200
    assert cluster.ticket_count() == 1


def test_readiness_names_a_stopped_database_and_recovers(cluster, site):
    assert site.get("/readyz").status == 200

    cluster.ctl("stop")
    try:
        stopped = site.get("/readyz")
        assert stopped.status == 503
        assert '"database": "the database did not answer"' in stopped.text
        assert site.get("/healthz").status == 200  # liveness never touches the database
    finally:
        cluster.ctl("start")

    assert site.get("/readyz").status == 200
