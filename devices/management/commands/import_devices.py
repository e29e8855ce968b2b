from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from devices.imports import devices_import


class Command(BaseCommand):
    help = (
        "Import devices from a CSV (Asset tag, Serial number, Kind, Model, School, Room, Assigned to, Status) or a "
        "Google Admin ChromeOS export. A file with any wrong row changes nothing; devices not in it are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Show the counts; change nothing.")

    def handle(self, *args, file: str, dry_run: bool, **options):
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Could not read {file}: {error}") from error
        plan, _ = devices_import(text=text, dry_run=dry_run)
        self.stdout.write(plan.summary())
        for line, reason in plan.errors:
            self.stdout.write(f"Line {line}: {reason}")
        if plan.errors:
            raise CommandError("Nothing was changed: correct the lines above and run the import again.")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        else:
            self.stdout.write(self.style.SUCCESS("Import done."))
