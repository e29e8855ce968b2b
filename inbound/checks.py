"""Deploy checks on how inbound email senders are verified.

The ids (tickets.E011, tickets.E012) are older than this app; they stay so the deploy guide and any
SILENCED_SYSTEM_CHECKS entry still name them.
"""

import re

from django.conf import settings
from django.core.checks import Error, Tags, register


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
            "Authentication-Results (mx.google.com for Google Workspace); see docs/deploy.md, 'Who sent it'.",
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
