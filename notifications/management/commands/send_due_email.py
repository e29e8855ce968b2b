import time

from django.core.management.base import BaseCommand

from notifications.services import email_send_due


class Command(BaseCommand):
    help = (
        "Deliver pending emails that are due. Celery beat does this every minute; use this command where no "
        "Celery worker runs (make run without Redis), with --loop to keep going."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, metavar="SECONDS", help="Run again every SECONDS until stopped.")

    def handle(self, *args, loop=None, **options):
        while True:
            tried = email_send_due()
            if tried or not loop:
                self.stdout.write(f"Tried {tried} pending email(s).")
            if not loop:
                return
            time.sleep(loop)
