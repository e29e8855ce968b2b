from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tickets.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the help desk into a new folder: a PostgreSQL dump (custom format), every stored file, and "
        "manifest.json with row counts and checksums. Restore it with manage.py restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A new or empty folder, e.g. /var/backups/helpdesk/2026-11-30.")

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = backup_create(target=folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        size = sum(entry["size"] for entry in manifest["files"])
        self.stdout.write(f"Backed up {rows} rows and {len(manifest['files'])} files ({size} bytes) into {folder}.")
