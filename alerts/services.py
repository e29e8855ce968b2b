"""Writes for alerts: raising an alert, sending what is due (folded per ticket, or one morning digest), outages."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from alerts.models import ALWAYS_AT_ONCE, Alert, AlertPreference, Delivery, Kind
from alerts.school_time import is_school_time, next_school_start
from alerts.selectors import Recipient, delivery_of, recipients_for, school_calendar, technicians_with_choices
from notifications.services import email_enqueue

FOLD_WINDOW = datetime.timedelta(minutes=15)


def _ticket_url(ticket) -> str:
    return f"{settings.HELPDESK_BASE_URL}{ticket.get_absolute_url()}"


@transaction.atomic(savepoint=False)  # inside the ticket service's transaction: no savepoint queries
def alert_raise(*, kind: str, ticket, recipients: list[Recipient], summary: str, now=None) -> list[Alert]:
    """Email each recipient now, fold it into their next email about this ticket, or keep it for the digest.

    Outside school hours everything but Urgent and mentions waits for the next school day's digest; a second alert
    about one ticket within 15 minutes of the last email waits for the end of those 15 minutes, then goes with
    every other alert that gathered meanwhile in one email."""
    now = now or timezone.now()
    calendar = school_calendar(around=now)
    quiet = not is_school_time(now, calendar)
    recipients = list({r.user.pk: r for r in recipients}.values())
    at_once = [r for r in recipients if r.delivery != Delivery.DIGEST and (not quiet or kind in ALWAYS_AT_ONCE)]
    last_sent = {}
    if at_once:
        last_sent = _last_sent(ticket=ticket, user_ids=[r.user.pk for r in at_once], now=now)
    raised = []
    for recipient in recipients:
        alert = Alert(
            recipient=recipient.user, ticket=ticket, kind=kind, summary=summary[:300], created_at=now, send_after=now
        )
        if recipient not in at_once:
            alert.is_digest, alert.send_after = True, next_school_start(now, calendar)
        elif recipient.user.pk in last_sent:
            alert.send_after = last_sent[recipient.user.pk] + FOLD_WINDOW
        raised.append(alert)
    Alert.objects.bulk_create(raised)
    due = [alert for alert in raised if alert.send_after <= now]
    if due:
        _send_folded(alerts=due, now=now)
    return raised


def _last_sent(*, ticket, user_ids: list[int], now) -> dict:
    """When each of these people was last emailed about this ticket, within the fold window."""
    recent = Alert.objects.filter(
        recipient_id__in=user_ids, ticket=ticket, is_digest=False, sent_at__gt=now - FOLD_WINDOW
    )
    return dict(recent.values_list("recipient_id").annotate(last=Max("sent_at")).order_by())


def _send_folded(*, alerts: list[Alert], now) -> None:
    """One email per recipient and ticket, listing each alert that gathered."""
    groups: dict[tuple[int, int | None], list[Alert]] = defaultdict(list)
    for alert in alerts:
        groups[(alert.recipient_id, alert.ticket_id)].append(alert)
    for group in groups.values():
        first = group[0]
        email = email_enqueue(
            to=first.recipient.email,
            template="notifications/email/technician_alert",
            context={
                "ticket": first.ticket,
                "ticket_url": _ticket_url(first.ticket) if first.ticket else "",
                "alerts": group,
                "recipient": first.recipient,
            },
            idempotency_key=f"alert-{first.pk}",
        )
        Alert.objects.filter(pk__in=[alert.pk for alert in group]).update(sent_at=now, email=email)


def _send_digests(*, alerts: list[Alert], now) -> int:
    by_recipient: dict[int, list[Alert]] = defaultdict(list)
    for alert in alerts:
        by_recipient[alert.recipient_id].append(alert)
    for group in by_recipient.values():
        first = group[0]
        items = [{"alert": alert, "url": _ticket_url(alert.ticket) if alert.ticket else ""} for alert in group]
        email = email_enqueue(
            to=first.recipient.email,
            template="notifications/email/technician_digest",
            context={"items": items, "recipient": first.recipient, "count": len(group)},
            idempotency_key=f"alert-digest-{first.recipient_id}-{first.pk}",
        )
        Alert.objects.filter(pk__in=[alert.pk for alert in group]).update(sent_at=now, email=email)
    return len(by_recipient)


@transaction.atomic
def alerts_send_due(*, now=None, digests_now: bool = False) -> int:
    """Send the alerts whose time has come: folded ones after their 15 minutes, digests at the school day's start.

    `digests_now` sends every waiting digest at once (`manage.py send_notification_digest --now`)."""
    now = now or timezone.now()
    waiting = Alert.objects.filter(sent_at__isnull=True).select_related("recipient", "ticket").order_by("pk")
    waiting = list(waiting.select_for_update(skip_locked=True, of=("self",)))
    digests = [alert for alert in waiting if alert.is_digest and (digests_now or alert.send_after <= now)]
    folded = [alert for alert in waiting if not alert.is_digest and alert.send_after <= now]
    _send_folded(alerts=folded, now=now)
    return _send_digests(alerts=digests, now=now) + len(folded)


def alert_possible_outage(*, school_id: int, ticket_type_name: str, ticket_numbers: list[int], detection_key: str):
    """Email the school's technicians (every technician when nobody covers it) once per detection_key."""
    users = list(technicians_with_choices(school_id=school_id, kinds=(Kind.OUTAGE,)))
    covering = [user for user in users if user.covers] or users
    numbers = sorted(ticket_numbers)
    sent = []
    for user in covering:
        if delivery_of(user, Kind.OUTAGE) == Delivery.OFF or not user.email:
            continue
        sent.append(
            email_enqueue(
                to=user.email,
                template="notifications/email/possible_outage",
                context={
                    "school": _school_name(school_id),
                    "ticket_type_name": ticket_type_name,
                    "numbers": numbers,
                    "queue_url": f"{settings.HELPDESK_BASE_URL}/queue/?school={school_id}",
                },
                idempotency_key=f"possible-outage-{detection_key}-{user.pk}",
            )
        )
    return sent


def _school_name(school_id: int) -> str:
    from district.models import School

    return School.objects.filter(pk=school_id).values_list("name", flat=True).first() or ""


def alert_for_ticket(*, kind: str, ticket, summary: str, acting_user=None, now=None) -> list[Alert]:
    """Alert the people `kind` reaches on this ticket (recipients_for) about it."""
    recipients = recipients_for(ticket=ticket, kind=kind, acting_user=acting_user)
    return alert_raise(kind=kind, ticket=ticket, recipients=recipients, summary=summary, now=now)


def alert_to_users(*, kind: str, ticket, users: list, summary: str, acting_user=None, now=None) -> list[Alert]:
    """Alert these users (an assignee, the mentioned, the lead) about the ticket, by their own choices."""
    acting_id = getattr(acting_user, "pk", None)
    ids = [user.pk for user in users if user is not None and user.pk != acting_id]
    if not ids:
        return []
    annotated = technicians_with_choices(school_id=None, kinds=(kind,)).filter(pk__in=ids)
    if kind == Kind.OVERDUE:  # the lead need not be in the Technicians group
        choice = AlertPreference.objects.filter(user_id=OuterRef("pk"), kind=kind).values("delivery")[:1]
        annotated = (
            get_user_model().objects.filter(pk__in=ids, is_active=True).annotate(choice_overdue=Subquery(choice))
        )
    recipients = [Recipient(user=user, delivery=delivery_of(user, kind)) for user in annotated]
    recipients = [r for r in recipients if r.delivery != Delivery.OFF and r.user.email]
    return alert_raise(kind=kind, ticket=ticket, recipients=recipients, summary=summary, now=now)


@transaction.atomic
def alert_preferences_save(*, user, choices: dict[str, str]) -> None:
    """Store a technician's choice for each kind of alert (mentions always arrive, so they are not stored)."""
    for kind, delivery in choices.items():
        if kind == Kind.MENTION or kind not in Kind.values or delivery not in Delivery.values:
            continue
        AlertPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
