from django.apps import AppConfig


class RoutingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "routing"
    verbose_name = "Policy routing"

    def ready(self):
        from routing import selectors, signals  # noqa: F401  selectors: the kept tables' receivers

        signals.connect()
