from django.apps import AppConfig


class HealthConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "health"
    verbose_name = "Health"

    def ready(self):
        from health import checks  # noqa: F401  registers the mailbox deploy checks
