from django.apps import AppConfig


class InboundConfig(AppConfig):
    """Email that arrives at the help desk mailbox: read over IMAP, turned into replies, or held for a technician."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "inbound"
    verbose_name = "Inbound email"

    def ready(self):
        from inbound import checks, mailbox_checks  # noqa: F401  deploy checks: senders verified, mailbox sign-in
        from inbound.selectors import ticket_has_held_email
        from tickets.selectors import TICKET_PAGE_FLAGS

        TICKET_PAGE_FLAGS["has_held_email"] = ticket_has_held_email
