"""Deploy checks (manage.py check --deploy) for settings that would leave the public pages open to abuse."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

LOGGING_EMAIL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)
SECRET_KEY_MIN_LENGTH = 50


@register(Tags.security, deploy=True)
def email_backend_check(app_configs, **kwargs):
    """Sign-in links printed to a log or dropped are a way in for whoever reads the log, and lost mail for the rest."""
    if settings.DEBUG or settings.EMAIL_BACKEND not in LOGGING_EMAIL_BACKENDS:
        return []
    return [
        Error(
            f"Email is not sent: EMAIL_BACKEND is {settings.EMAIL_BACKEND} with DJANGO_DEBUG off.",
            hint="Set EMAIL_URL to the district's mail server, e.g. smtp://user:password@smtp.example.org:587.",
            id="tickets.E101",
        )
    ]


@register(Tags.security, deploy=True)
def rate_limits_check(app_configs, **kwargs):
    if settings.RATELIMIT_ENABLE:
        return []
    return [
        Error(
            "Rate limits on the public forms are off (HELPDESK_RATE_LIMITS=off).",
            hint="Remove HELPDESK_RATE_LIMITS from the environment; it is for load tests and acceptance runs only.",
            id="tickets.E102",
        )
    ]


@register(Tags.security, deploy=True)
def secret_key_length_check(app_configs, **kwargs):
    if len(settings.SECRET_KEY) >= SECRET_KEY_MIN_LENGTH:
        return []
    return [
        Error(
            f"DJANGO_SECRET_KEY is shorter than {SECRET_KEY_MIN_LENGTH} characters, so signed links could be forged.",
            hint='Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"',
            id="tickets.E103",
        )
    ]


@register(Tags.security, deploy=True)
def trusted_proxies_check(app_configs, **kwargs):
    """Behind a proxy with no trusted proxy counted, every visitor has the proxy's address: one shared limit."""
    if not settings.SECURE_PROXY_SSL_HEADER or settings.HELPDESK_TRUSTED_PROXY_COUNT > 0:
        return []
    return [
        Warning(
            "DJANGO_BEHIND_PROXY is on but HELPDESK_TRUSTED_PROXY_COUNT is 0, so rate limits and login lockouts "
            "count every visitor as the proxy's address.",
            hint="Set HELPDESK_TRUSTED_PROXY_COUNT to the number of proxies we run in front of the app (nginx: 1).",
            id="tickets.W104",
        )
    ]
