from django.apps import AppConfig


class DevicesConfig(AppConfig):
    """The district's devices: the registry, its imports and Google sync, and loaners. Built below tickets: tickets
    knows its device; devices never imports tickets."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "devices"

    def ready(self):
        from devices import checks  # noqa: F401  deploy checks of the Google sync's settings
