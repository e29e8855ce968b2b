"""How requesters reach their own tickets without a password: one-time sign-in links and per-ticket links."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from notifications.services import email_enqueue
from tickets.models import RequesterSignIn, Ticket
from tickets.verification import RequesterVerification

# "Keep me signed in on this device", ticked; unticked, the session ends when the browser closes (shared computers).
KEEP_SIGNED_IN_FOR = timedelta(days=14)
SIGN_IN_LIFETIME = timedelta(minutes=15)
SIGN_IN_LINKS_PER_WINDOW = 3  # per address per lifetime: enough for a typo, too few to flood a mailbox
SIGN_IN_LINKS_PER_IP_HOUR = 60  # a whole school shares one public address
RECENTLY_CLOSED = timedelta(days=30)


def requester_session_expiry(*, keep_signed_in: bool) -> int:
    """Return the seconds for SessionBase.set_expiry(): 0 ends the session when the browser closes."""
    return int(KEEP_SIGNED_IN_FOR.total_seconds()) if keep_signed_in else 0


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def requester_sign_in_link_send(*, email: str, ip: str | None = None, now=None) -> bool:
    """Email a one-time sign-in link; return False when the address or the IP asked too often just now.

    The limits count rows in the database, so they hold across every web process.
    """
    now = now or timezone.now()
    recent = RequesterSignIn.objects.filter(email=email, created_at__gte=now - SIGN_IN_LIFETIME).count()
    from_ip = (
        RequesterSignIn.objects.filter(requested_from=ip, created_at__gte=now - timedelta(hours=1)).count() if ip else 0
    )
    if recent >= SIGN_IN_LINKS_PER_WINDOW or from_ip >= SIGN_IN_LINKS_PER_IP_HOUR:
        return False
    token = secrets.token_urlsafe(32)
    link = RequesterSignIn.objects.create(
        email=email, requested_from=ip, token_hash=_hash(token), created_at=now, expires_at=now + SIGN_IN_LIFETIME
    )
    email_enqueue(
        to=email,
        template="notifications/email/requester_sign_in",
        context={
            "has_tickets": Ticket.objects.filter(requester_email=email).exists(),
            "minutes": int(SIGN_IN_LIFETIME.total_seconds() // 60),
        },
        secrets={"sign_in_url": settings.HELPDESK_BASE_URL + reverse("tickets:my_sign_in", kwargs={"token": token})},
        idempotency_key=f"requester-sign-in-{link.pk}",
        is_automatic=True,
    )
    return True


def requester_sign_in_link_valid(*, token: str, now=None) -> RequesterSignIn | None:
    now = now or timezone.now()
    return RequesterSignIn.objects.filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=now).first()


@transaction.atomic
def requester_sign_in_link_use(*, token: str, now=None) -> str | None:
    """Spend a sign-in link; return the email it signs in, or None when it is used up, expired or unknown."""
    now = now or timezone.now()
    link = (
        RequesterSignIn.objects.select_for_update()
        .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if link is None:
        return None
    link.used_at = now
    link.save(update_fields=["used_at"])
    return link.email


def requester_tickets(*, email: str, now=None) -> QuerySet:
    """The requester's open tickets and those closed in the last 30 days, newest first."""
    now = now or timezone.now()
    return (
        Ticket.objects.filter(requester_email=email)
        .filter(Q(status__in=Ticket.OPEN_STATUSES) | Q(closed_at__gte=now - RECENTLY_CLOSED))
        .select_related("school")
        .order_by("-created_at")
    )


def requester_ticket(*, verification: RequesterVerification, public_id) -> Ticket | None:
    """The ticket, when this browser is verified for it (its address, or its own link); else None."""
    ticket = Ticket.objects.select_related("school", "ticket_type", "merged_into").filter(public_id=public_id).first()
    return ticket if ticket is not None and verification.covers_ticket(ticket) else None
