from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inbound.processing import inbound_email_process


class Command(BaseCommand):
    help = "Process saved email messages (.eml files) as if they had arrived in the help desk mailbox."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, files, **options):
        unreadable = 0
        for name in files:
            try:
                raw = Path(name).read_bytes()
            except OSError as error:
                unreadable += 1
                self.stderr.write(f"{name}: cannot be read ({error.strerror or error})")
                continue
            self.stdout.write(f"{name}: {inbound_email_process(raw=raw).describe()}")
        if unreadable:
            raise CommandError(f"{unreadable} file(s) could not be read.")
