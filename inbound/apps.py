from django.apps import AppConfig


class InboundConfig(AppConfig):
    """Email that arrives at the help desk mailbox: read over IMAP, turned into replies, or held for a technician."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "inbound"
    verbose_name = "Inbound email"

    def ready(self):
        from inbound import checks  # noqa: F401  the deploy checks on how senders are verified
