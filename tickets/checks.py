from urllib.parse import urlsplit

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


@register(Tags.caches, deploy=True)
def cache_key_prefix_check(app_configs, **kwargs):
    """A Redis cache whose key prefix names this machine is the prefix every unconfigured site would share."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        return []
    if urlsplit(f"//{prefix}").hostname not in (None, "", "localhost", "127.0.0.1", "::1"):
        return []
    return [
        Warning(
            f"The cache key prefix is {prefix!r}, which another site on the same Redis may use too: the two would "
            "read each other's schools, technicians, canned responses and rate-limit counts.",
            hint="Set HELPDESK_BASE_URL to this site's address, or CACHE_KEY_PREFIX to a name of its own "
            "(e.g. helpdesk-staging).",
            id="tickets.W003",
        )
    ]
