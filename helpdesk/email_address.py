"""The one normalisation every email address goes through before it is stored, compared or counted.

Trimmed and lower-cased; at the district's own domain, a "+tag" after the name is dropped, because
ms.hill+0@ and ms.hill+5@ are one mailbox (one person) at Google Workspace and Microsoft 365 alike: limits, duplicate
detection and My tickets must count them once. Other domains' addresses keep their tag: their rules are not ours.

Only ASCII addresses are accepted from people (`has_only_ascii`): with Unicode, case folding could make two
different addresses one, or one look like another.
"""

from django.conf import settings


def normalize_email(address: str) -> str:
    """Return the address trimmed and lower-cased, with a +tag dropped at the district's domain."""
    address = (address or "").strip().lower()
    local, at, domain = address.rpartition("@")
    if at and domain.rstrip(".") == settings.HELPDESK_REQUESTER_DOMAIN and "+" in local:
        local = local.partition("+")[0]
        return f"{local}@{domain}" if local else address
    return address


def has_only_ascii(address: str) -> bool:
    """Whether a typed address is plain ASCII (letters a-z, digits and punctuation)."""
    return address.isascii()
