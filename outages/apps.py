from django.apps import AppConfig


class OutagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outages"

    def ready(self):
        # Tickets never import this app: it joins the ticket form and ticket creation through their registries.
        from outages import receivers  # noqa: F401
