from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from routing.staff_import import StaffImportError, staff_import, staff_rows_parse


class Command(BaseCommand):
    help = "Import the staff directory from a CSV with the header email,name,role,school. Re-importing updates."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8).")

    def handle(self, *args, file: Path, **options):
        try:
            with file.open(encoding="utf-8-sig", newline="") as lines:
                rows = staff_rows_parse(lines=lines)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text. Save it as “CSV UTF-8” and try again.") from exc
        except StaffImportError as exc:
            raise CommandError(
                f"Nothing was imported. Fix these lines in {file} and run the command again:\n{exc}"
            ) from exc
        created, updated = staff_import(rows=rows)
        self.stdout.write(self.style.SUCCESS(f"Imported {created + updated} staff: {created} new, {updated} updated."))
