import re
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


@register(Tags.security, deploy=True)
def inbound_sender_check(app_configs, **kwargs):
    """A polled mailbox with no way to check senders either holds every email or believes any district From: line."""
    verified = settings.HELPDESK_INBOUND_AUTHSERV_ID or settings.HELPDESK_INBOUND_M365_TENANT_ID
    if not settings.INBOUND_IMAP_URL or verified:
        return []
    if settings.HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS:
        what = (
            "Inbound email is not verified and HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS is on: any message with a "
            "district From: address can add to tickets."
        )
    else:
        what = "Inbound email is not verified, so every email is held until a technician accepts it."
    return [
        Error(
            what,
            hint="Set HELPDESK_INBOUND_M365_TENANT_ID to the Microsoft 365 tenant's ID (a GUID) when the mailbox is in "
            "Microsoft 365, or HELPDESK_INBOUND_AUTHSERV_ID to the authserv-id your mail server writes in "
            "Authentication-Results (mx.google.com for Google Workspace); see the README.",
            id="tickets.E011",
        )
    ]


GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@register(Tags.security)
def inbound_tenant_check(app_configs, **kwargs):
    """A tenant ID that is not a GUID can never match, so every email would be held."""
    tenant = settings.HELPDESK_INBOUND_M365_TENANT_ID
    if not tenant or GUID.match(tenant):
        return []
    return [
        Error(
            f"HELPDESK_INBOUND_M365_TENANT_ID is not a tenant ID: {tenant!r}.",
            hint="Use the Tenant ID (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47) from the Microsoft Entra "
            "admin center, Overview page.",
            id="tickets.E012",
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
