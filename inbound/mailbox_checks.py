"""Deploy checks (manage.py check --deploy) for the help desk mailbox's sign-in settings, before the first poll.

They live beside the mailbox code they call, so health imports no app that writes its heartbeats; their ids keep
the health. prefix the docs and operators already know.
"""

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from inbound.mailbox_oauth import GOOGLE
from inbound.mailbox_sign_in import MailboxSettings, MailboxSignInRefused


@register(Tags.security, deploy=True)
def mailbox_sign_in_check(app_configs, **kwargs):
    """The poller must be able to sign in with what the environment gives it."""
    if not settings.INBOUND_IMAP_URL:
        return []
    try:
        config = MailboxSettings.from_settings()
    except (MailboxSignInRefused, ValueError) as exc:
        return [Error(f"The help desk mailbox cannot be signed in to: {exc}", hint=HINT, id="health.E001")]
    errors = []
    if config.oauth is None and not config.password:
        errors.append(
            Error("INBOUND_IMAP_URL has no password and INBOUND_IMAP_AUTH is password.", hint=HINT, id="health.E002")
        )
    if config.oauth and config.oauth.provider == GOOGLE and not os.path.isfile(config.oauth.service_account_file):
        errors.append(
            Error(
                f"INBOUND_OAUTH_SERVICE_ACCOUNT_FILE ({config.oauth.service_account_file}) is not a file.",
                hint=HINT,
                id="health.E003",
            )
        )
    if settings.INBOUND_OAUTH_TOKEN_URL:
        errors.append(
            Warning(
                "INBOUND_OAUTH_TOKEN_URL is set: mailbox tokens are not asked of Microsoft or Google.",
                hint="It is for tests only; leave it empty in production.",
                id="health.W001",
            )
        )
    return errors


HINT = 'See docs/deploy.md, "Help desk mailbox with OAuth (Microsoft 365, Google Workspace)".'
