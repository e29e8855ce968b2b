from django.apps import AppConfig


class AlertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "alerts"
    verbose_name = "Alerts and response targets"

    def ready(self):
        # Listen to what happens to tickets (tickets.signals): tickets never imports alerts.
        from alerts import receivers  # noqa: F401
