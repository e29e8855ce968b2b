"""Backups: one PostgreSQL dump, the private files, and a manifest with counts and checksums to verify a restore.

The dump and the manifest come from one database snapshot (pg_dump --snapshot), so the counts and the list of
files describe exactly the rows in the dump. Files are saved before their row commits, so every file the snapshot
names already exists when it is copied.
"""

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from district.storage import attachment_storage

MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"
FORMAT_VERSION = 1
# The apps whose rows are counted in the manifest (everything the district typed, and who may log in).
COUNTED_APPS = ("tickets", "routing", "notifications", "auth")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do."""


@dataclass(frozen=True)
class RestoreReport:
    rows: int
    files: int


def backup_create(*, target: Path) -> dict:
    """Write the dump, the files and the manifest into target (new or empty); return the manifest."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty. Give a new folder for each backup, e.g. one named by the date.")
    _require_postgresql()
    (target / FILES).mkdir(parents=True)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        _run_tool("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target / DUMP}")
        counts = _row_counts()
        names = sorted(_stored_file_names())
    files = [_copy_out(name, target / FILES) for name in names]
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "database": {"dump": DUMP, "sha256": _sha256_path(target / DUMP), "server_version": _server_major()},
        "counts": counts,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def backup_restore(*, source: Path) -> RestoreReport:
    """Load a backup into an empty (or only migrated) database and empty files storage, then check the manifest."""
    manifest = _manifest_read(source)
    _require_postgresql()
    is_migrated = bool(connection.introspection.table_names())
    if is_migrated:
        _require_new_install()
    if _storage_has_files():
        raise BackupError(
            "The files storage (HELPDESK_PRIVATE_MEDIA_ROOT or the S3 bucket) already holds files. "
            "Restore only into an empty folder or bucket."
        )
    if is_migrated:
        _schema_clear()
    _run_tool(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        f"--dbname={_database_name()}",
        str(source / DUMP),
    )
    connection.close()  # tables appeared behind Django's back: start a fresh connection for the checks
    storage = attachment_storage()
    for entry in manifest["files"]:
        with (source / FILES / entry["name"]).open("rb") as handle:
            saved = storage.save(entry["name"], File(handle))
        if saved != entry["name"]:
            raise BackupError(f"The storage renamed {entry['name']} to {saved}; the restore is incomplete.")
    _verify_restored(manifest)
    return RestoreReport(rows=sum(manifest["counts"].values()), files=len(manifest["files"]))


# What a database holds once people have used it. `migrate` alone adds none of it (its seeds are schools, types and
# rules), and `createsuperuser` adds one login, so a database with less than this is a new install: safe to replace.
USED_DATABASE_TABLES = {
    "tickets_ticket": "SELECT EXISTS (SELECT 1 FROM tickets_ticket)",
    "tickets_ticketevent": "SELECT EXISTS (SELECT 1 FROM tickets_ticketevent)",
    "notifications_outboundemail": "SELECT EXISTS (SELECT 1 FROM notifications_outboundemail)",
    "routing_deflectionlog": "SELECT EXISTS (SELECT 1 FROM routing_deflectionlog)",
}
NEW_INSTALL_MAX_LOGINS = 1


def _require_new_install() -> None:
    """Refuse a database people have used: tickets, email or more than the first admin's login.

    The deploy guide runs `migrate` (and `createsuperuser`) before anyone thinks of restoring, so a database with only
    what those add is a new install that the restore may replace; anything more is a working site.
    """
    name = connection.settings_dict["NAME"]
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        used = []
        for table in sorted(tables.intersection(USED_DATABASE_TABLES)):
            cursor.execute(USED_DATABASE_TABLES[table])
            if cursor.fetchone()[0]:
                used.append(table)
        if "auth_user" in tables:
            cursor.execute('SELECT count(*) FROM "auth_user"')
            if cursor.fetchone()[0] > NEW_INSTALL_MAX_LOGINS:
                used.append("auth_user")
    if used:
        raise BackupError(
            f"The database {name} is in use: it already holds rows in {', '.join(used)}. Restore only into a new "
            "database (createdb), or one where only `manage.py migrate` and `createsuperuser` have run, so nothing "
            "current is overwritten."
        )


def _schema_clear() -> None:
    """Empty a new install's database, so the dump recreates every table, function and extension as it was."""
    name = connection.settings_dict["NAME"]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    except DatabaseError as exc:
        raise BackupError(
            f"The database {name} has the tables `migrate` made, and they could not be removed ({exc}). "
            "Restore into a new, empty database (createdb) instead, then run migrate."
        ) from exc


def _manifest_read(source: Path) -> dict:
    """Return the manifest after checking the dump and every file against its checksums."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source / MANIFEST} cannot be read ({exc}). Is this a backup folder?") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"This backup has format {manifest.get('format')}; this version reads {FORMAT_VERSION}.")
    if _sha256_path(source / DUMP) != manifest["database"]["sha256"]:
        raise BackupError(f"{source / DUMP} does not match its checksum in the manifest: the copy is damaged.")
    for entry in manifest["files"]:
        path = source / FILES / entry["name"]
        if not path.is_file() or _sha256_path(path) != entry["sha256"]:
            raise BackupError(f"The file {entry['name']} is missing or damaged in this backup.")
    return manifest


def _verify_restored(manifest: dict) -> None:
    counts = _row_counts()
    wrong = {
        label: (count, counts.get(label)) for label, count in manifest["counts"].items() if counts.get(label) != count
    }
    if wrong:
        raise BackupError(f"Row counts differ after the restore (expected, found): {wrong}")
    storage = attachment_storage()
    for entry in manifest["files"]:
        with storage.open(entry["name"], "rb") as stored:
            if _sha256_file(stored) != entry["sha256"]:
                raise BackupError(f"The restored file {entry['name']} does not match its checksum.")


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in COUNTED_APPS and model._meta.managed and not model._meta.proxy
    }


def _stored_file_names() -> set[str]:
    """Return every file name a row points at in the attachments storage."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names.update(model._base_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True))
    outbound_attachment = apps.get_model("notifications", "OutboundEmailAttachment")
    names.update(outbound_attachment.objects.values_list("storage_name", flat=True))
    return names


def _copy_out(name: str, folder: Path) -> dict:
    path = folder / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise BackupError(f"Refusing the stored name {name!r}: it points outside the backup folder.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with attachment_storage().open(name, "rb") as stored, path.open("wb") as copy:
        shutil.copyfileobj(stored, copy)
    return {"name": name, "size": path.stat().st_size, "sha256": _sha256_path(path)}


def _storage_has_files() -> bool:
    try:
        folders, files = attachment_storage().listdir("")
    except FileNotFoundError:
        return False
    return bool(folders or files)


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError("Backups need PostgreSQL (DATABASE_URL=postgres://...); this site uses another database.")


def _server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _database_name() -> str:
    return connection.settings_dict["NAME"]


def _tool_path(name: str) -> str:
    """Return pg_dump/pg_restore of the server's major version: an older one cannot read a newer server."""
    major = _server_major()
    candidate = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if candidate.is_file():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed. Install it with: apt-get install postgresql-client-{major}")
    return found


def _run_tool(name: str, *args: str) -> None:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    command = [_tool_path(name), f"--host={db.get('HOST') or 'localhost'}", f"--port={db.get('PORT') or 5432}"]
    if db.get("USER"):
        command.append(f"--username={db['USER']}")
    if name == "pg_dump":
        command.append(f"--dbname={db['NAME']}")
    result = subprocess.run([*command, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip()[-2000:]}")


def _sha256_path(path: Path) -> str:
    with path.open("rb") as handle:
        return _sha256_file(handle)


def _sha256_file(handle) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(block)
    return digest.hexdigest()
