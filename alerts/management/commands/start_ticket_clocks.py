from django.core.management.base import BaseCommand

from alerts.clock import ticket_clocks_start


class Command(BaseCommand):
    help = (
        "Give each open ticket without a due time its due time now (tickets from before response targets were "
        "installed, or demo data); beat does the same every 5 minutes, 500 at a time."
    )

    def handle(self, *args, **options):
        started = total = 0
        while started := ticket_clocks_start():
            total += started
        self.stdout.write(f"Started the clock of {total} open ticket(s).")
