from django.apps import AppConfig


class TicketsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tickets"

    def ready(self):
        # The deploy checks, and the receivers that forget the kept tables (helpdesk.kept.kept_table)
        from tickets import checks, reference, security_checks  # noqa: F401
