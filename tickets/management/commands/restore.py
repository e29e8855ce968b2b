from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tickets.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a folder written by manage.py backup into an EMPTY database and an empty files storage, then "
        "check every row count and file checksum against its manifest. It refuses to overwrite anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A folder written by manage.py backup.")

    def handle(self, *args, folder: Path, **options):
        try:
            report = backup_restore(source=folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {report.rows} rows and {report.files} files from {folder}; all match the manifest."
        )
