"""Deploy checks (manage.py check --deploy) of the Google device sync's settings, before the first night's run."""

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

HINT = "See docs/deploy.md, section 17 (Google Admin: ChromeOS devices)."


@register(Tags.security, deploy=True)
def google_devices_sync_check(app_configs, **kwargs):
    key, admin = settings.GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE, settings.GOOGLE_DEVICES_ADMIN_EMAIL
    problems = []
    if bool(key) != bool(admin):
        problems.append(
            Error(
                "Set both GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE and GOOGLE_DEVICES_ADMIN_EMAIL, or neither.",
                hint=HINT,
                id="devices.E001",
            )
        )
    if key and not os.path.isfile(key):
        problems.append(
            Error(f"GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE ({key}) is not a file.", hint=HINT, id="devices.E002")
        )
    if settings.GOOGLE_DEVICES_API_URL:
        problems.append(
            Warning(
                "GOOGLE_DEVICES_API_URL is set: devices are not read from Google.",
                hint="It is for tests only; leave it empty in production.",
                id="devices.W001",
            )
        )
    return problems
