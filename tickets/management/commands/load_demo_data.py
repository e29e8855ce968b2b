from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tickets.demo import DemoDataRefused, demo_data_load


class Command(BaseCommand):
    help = (
        "Load a school week of demo tickets, a demo technician and a demo admin (DJANGO_DEBUG=true only). "
        "Running it again adds nothing: tickets are only loaded into a database that has none."
    )

    def handle(self, *args, **options):
        try:
            report = demo_data_load()
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
        if report.tickets_added:
            self.stdout.write(f"Loaded {report.tickets_added} demo tickets from the past school week.")
        else:
            self.stdout.write("The database already has tickets, so no demo tickets were added.")
        base = settings.HELPDESK_BASE_URL
        self.stdout.write(self.style.SUCCESS("Demo logins (for this computer only):"))
        for who, username, password, path in report.logins:
            line = f"  {who}: username {username}, password {password}, sign in at {base}{path}"
            self.stdout.write(self.style.SUCCESS(line))
