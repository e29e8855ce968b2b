"""The outage step for a request by email: the form's answer lists the open outages, each with a signed
“I'm affected too” link for the sender (an email has no school or type to match, so every open outage is listed)."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from outages.models import Outage

AFFECTED_SALT = "outages.affected-by-email"
AFFECTED_MAX_AGE = timedelta(days=14)


def affected_url(*, outage: Outage, email: str) -> str:
    token = signing.dumps({"outage": str(outage.public_id), "email": email}, salt=AFFECTED_SALT, compress=True)
    return settings.HELPDESK_BASE_URL + reverse("outages:affected_by_email", kwargs={"token": token})


def affected_token_read(token: str) -> tuple[Outage, str] | None:
    """The open outage and the address a link was made for; None for a changed, expired or resolved one."""
    try:
        data = signing.loads(token, salt=AFFECTED_SALT, max_age=AFFECTED_MAX_AGE)
    except signing.BadSignature:
        return None
    outage = Outage.objects.filter(public_id=data.get("outage"), resolved_at__isnull=True).first()
    return (outage, data.get("email", "")) if outage is not None and data.get("email") else None
