from django.core.management.base import BaseCommand

from alerts.services import alerts_send_due


class Command(BaseCommand):
    help = "Send the technicians' waiting morning digests now (and any folded alerts that are due)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--due-only",
            action="store_true",
            help="Send only the digests whose school day has begun (what beat does each minute).",
        )

    def handle(self, *args, due_only=False, **options):
        sent = alerts_send_due(digests_now=not due_only)
        self.stdout.write(f"Sent {sent} email(s).")
