from django.core.management.base import BaseCommand

from routing.services import quote_reminders_send, testing_window_reminders_send


class Command(BaseCommand):
    help = "Send due testing window and quote expiry reminders (Celery beat does this hourly when it runs)."

    def handle(self, *args, **options):
        windows = testing_window_reminders_send()
        quotes = quote_reminders_send()
        self.stdout.write(f"Testing windows announced: {windows}. Quote reminders sent: {quotes}.")
