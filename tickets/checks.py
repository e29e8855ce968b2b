from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def recaptcha_keys_check(app_configs, **kwargs):
    """A public form without a captcha is allowed only on a developer's machine (DEBUG on)."""
    if settings.RECAPTCHA_ENABLED or settings.DEBUG:
        return []
    return [
        Error(
            "reCAPTCHA is off because RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY are not both set.",
            hint="Set both keys (reCAPTCHA v2 checkbox) in the environment; only DJANGO_DEBUG=true may run without.",
            id="tickets.E001",
        )
    ]


@register(Tags.security, deploy=True)
def inbound_sender_check(app_configs, **kwargs):
    """Mail-in without sender verification believes any district From: line."""
    if not settings.INBOUND_IMAP_URL or settings.HELPDESK_INBOUND_AUTHSERV_ID:
        return []
    return [
        Warning(
            "Inbound email is not verified: any message with a district From: address can add to tickets.",
            hint="Set HELPDESK_INBOUND_AUTHSERV_ID to the authserv-id your mail server writes in "
            "Authentication-Results (mx.google.com for Google Workspace); see the README.",
            id="tickets.W011",
        )
    ]


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """A cache that lives in one process is not shared by the other web processes and servers."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or not backend.endswith(("LocMemCache", "DummyCache")):
        return []
    return [
        Warning(
            "The cache is kept inside each process, so web processes and servers do not share it.",
            hint="Set CACHE_URL to a Redis database, e.g. redis://127.0.0.1:6379/1.",
            id="tickets.W002",
        )
    ]
