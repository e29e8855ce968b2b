"""manage.py backup and restore, round-tripped on the real PostgreSQL server: a second database restored from the
backup holds the same tickets, replies, rules and files, and the site serves them from it."""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from routing.models import RoutingRule
from tests.factories import TechnicianFactory, TicketFactory
from tests.files import pdf_bytes, png_bytes
from tests.routing.factories import ContactFactory, RoutingRuleFactory
from tickets.models import Attachment, TicketEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
BASE_DIR = Path(__file__).resolve().parents[2]
COMPARED_MODELS = [
    "tickets.ticket",
    "tickets.ticketevent",
    "tickets.attachment",
    "routing.routingrule",
    "routing.contact",
    "auth.user",
]
SERVE_SCRIPT = """
import hashlib, json, django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from tickets.models import Attachment, Ticket
client = Client()
client.force_login(get_user_model().objects.get(username="casey"))
ticket = Ticket.objects.get(number=7001)
attachment = ticket.attachments.get(original_name="screen.png")
page = client.get(f"/queue/{ticket.number}/")
download = client.get(f"/queue/{ticket.number}/attachments/{attachment.pk}/")
print(json.dumps({
    "page": page.status_code,
    "page_text": page.content.decode(),
    "download": download.status_code,
    "sha256": hashlib.sha256(b"".join(download.streaming_content)).hexdigest(),
}))
"""


@pytest.fixture
def restored_database():
    """A new, empty database on the same server; dropped afterwards."""
    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    admin = psycopg2.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _manage(*args: str, database_url: str, media_root: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
        "DATABASE_URL": database_url,
        "HELPDESK_PRIVATE_MEDIA_ROOT": media_root,
        "DJANGO_DEBUG": "true",  # plain static files: this process never ran collectstatic
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _source_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _dumpdata(database_url: str, media_root: str) -> list:
    result = _manage("manage.py", "dumpdata", *COMPARED_MODELS, database_url=database_url, media_root=media_root)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def help_desk_data(district_defaults, settings):
    technician = TechnicianFactory(username="casey")
    ticket = TicketFactory(number=7001, subject="Smartboard in room 4 is dark")
    TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.REPLY, author=technician, body="On my way.")
    TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.NOTE, author=technician, body="Bulb ordered.")
    for name, content, kind in [
        ("screen.png", png_bytes(), "image/png"),
        ("quote.pdf", pdf_bytes(), "application/pdf"),
    ]:
        attachment = Attachment(ticket=ticket, original_name=name, content_type=kind, size=len(content))
        attachment.file.save(name, ContentFile(content), save=True)
    RoutingRuleFactory(name="Widgets", contact=ContactFactory(name="Widget desk"), action=RoutingRule.Action.EXPLAIN)
    return ticket


def test_backup_restores_identically_into_an_empty_database(help_desk_data, restored_database, settings, tmp_path):
    """Rows and files come back identical, the manifest checks out, and the restored site serves the ticket."""
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["counts"]["tickets.Ticket"] == 1 and manifest["counts"]["tickets.TicketEvent"] == 2
    assert manifest["counts"]["routing.RoutingRule"] == RoutingRule.objects.count()
    assert sorted(entry["sha256"] for entry in manifest["files"]) == sorted(
        hashlib.sha256(content).hexdigest() for content in (png_bytes(), pdf_bytes())
    )
    assert (backup / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    restored_media = tempfile.mkdtemp(prefix="helpdesk-restored-")
    result = _manage("manage.py", "restore", str(backup), database_url=restored_database, media_root=restored_media)
    assert result.returncode == 0, result.stderr
    assert "all match the manifest" in result.stdout

    source_media = str(settings.PRIVATE_MEDIA_ROOT)
    assert _dumpdata(restored_database, restored_media) == _dumpdata(_source_url(), source_media)
    served = _manage("-c", SERVE_SCRIPT, database_url=restored_database, media_root=restored_media)
    assert served.returncode == 0, served.stderr
    answer = json.loads(served.stdout.strip().splitlines()[-1])
    assert answer["page"] == 200 and "Smartboard in room 4 is dark" in answer["page_text"]
    assert "On my way." in answer["page_text"] and "Bulb ordered." in answer["page_text"]
    assert (answer["download"], answer["sha256"]) == (200, hashlib.sha256(png_bytes()).hexdigest())


def test_restore_refuses_a_database_that_has_tables(help_desk_data, tmp_path):
    """Restoring over a working database would overwrite it: refused, nothing changes."""
    call_command("backup", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="is in use: it already holds rows in .*tickets_ticket"):
        call_command("restore", str(tmp_path / "backup"))


def test_restore_refuses_a_damaged_backup(help_desk_data, tmp_path):
    """A file that no longer matches its checksum stops the restore before anything is loaded."""
    call_command("backup", str(tmp_path / "backup"))
    stored = next(path for path in (tmp_path / "backup" / "files").rglob("*") if path.is_file())
    stored.write_bytes(stored.read_bytes() + b"x")
    with pytest.raises(CommandError, match="missing or damaged"):
        call_command("restore", str(tmp_path / "backup"))


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "old.txt").write_text("yesterday")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path))


def test_disaster_recovery_onto_a_new_server_as_the_deploy_guide_says(help_desk_data, restored_database, tmp_path):
    """docs/deploy.md, "Disaster recovery": migrate and the first admin on the new server, restore, migrate again.

    The restored site holds last night's tickets and files, and a backup of it restores the same way.
    """
    backup = tmp_path / "last-night"
    call_command("backup", str(backup))

    new_media = tempfile.mkdtemp(prefix="helpdesk-new-server-")
    steps = [
        ("manage.py", "migrate", "--noinput"),
        ("manage.py", "createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.org"),
        ("manage.py", "restore", str(backup)),
        ("manage.py", "migrate", "--noinput"),
    ]
    for step in steps:
        result = _manage(*step, database_url=restored_database, media_root=new_media)
        assert result.returncode == 0, (step, result.stdout, result.stderr)
    served = _manage("-c", SERVE_SCRIPT, database_url=restored_database, media_root=new_media)
    assert served.returncode == 0, served.stderr
    answer = json.loads(served.stdout.strip().splitlines()[-1])
    assert answer["page"] == 200 and "Smartboard in room 4 is dark" in answer["page_text"]
    assert (answer["download"], answer["sha256"]) == (200, hashlib.sha256(png_bytes()).hexdigest())

    # The next night's backup comes from the restored server; it too restores onto a migrated database.
    second = tmp_path / "the-night-after"
    assert (
        _manage("manage.py", "backup", str(second), database_url=restored_database, media_root=new_media).returncode
        == 0
    )
    third_database = restored_database.rsplit("/", 1)[0] + "/" + restored_database.rsplit("/", 1)[1] + "_again"
    _createdb(third_database)
    try:
        third_media = tempfile.mkdtemp(prefix="helpdesk-third-server-")
        for step in [("manage.py", "migrate", "--noinput"), ("manage.py", "restore", str(second))]:
            result = _manage(*step, database_url=third_database, media_root=third_media)
            assert result.returncode == 0, (step, result.stdout, result.stderr)
    finally:
        _createdb(third_database, drop_only=True)


def test_restore_refuses_a_migrated_database_with_more_than_the_first_admin(restored_database, tmp_path, db):
    """Two logins mean someone is using the new site: the restore leaves it alone."""
    media = tempfile.mkdtemp(prefix="helpdesk-in-use-")
    for username in ("admin", "casey"):
        _manage("manage.py", "migrate", "--noinput", database_url=restored_database, media_root=media)
        _manage(
            "manage.py",
            "createsuperuser",
            "--noinput",
            "--username",
            username,
            "--email",
            f"{username}@example.org",
            database_url=restored_database,
            media_root=media,
        )
    call_command("backup", str(tmp_path / "backup"))
    result = _manage("manage.py", "restore", str(tmp_path / "backup"), database_url=restored_database, media_root=media)
    assert result.returncode != 0 and "is in use: it already holds rows in auth_user" in result.stderr


def _createdb(database_url: str, *, drop_only: bool = False) -> None:
    db = connection.settings_dict
    admin = psycopg2.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname="postgres"
    )
    admin.autocommit = True
    name = database_url.rsplit("/", 1)[1]
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
