from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from notifications.services import email_enqueue
from routing.models import RoutingRule
from routing.selectors import testing_window_for_banner
from tickets.attachments import CheckedFile
from tickets.links import feedback_url, reopen_url, ticket_link_url
from tickets.models import (
    Attachment,
    HelpDeskSettings,
    School,
    Ticket,
    TicketEvent,
    TicketNumberCounter,
    TicketType,
)


def ticket_number_next() -> int:
    """Hand out the next ticket number; the counter's row lock keeps concurrent submissions from sharing one."""
    updated = TicketNumberCounter.objects.filter(pk=1).update(last_number=F("last_number") + 1)
    if not updated:  # first ticket on a database the seed migration did not reach
        TicketNumberCounter.objects.get_or_create(pk=1)
        TicketNumberCounter.objects.filter(pk=1).update(last_number=F("last_number") + 1)
    return TicketNumberCounter.objects.values_list("last_number", flat=True).get(pk=1)


def _attachments_save(*, ticket: Ticket, attachments: list[CheckedFile]) -> None:
    for checked in attachments:
        attachment = Attachment(
            ticket=ticket, original_name=checked.original_name, content_type=checked.content_type, size=checked.size
        )
        attachment.file.save("upload", checked.upload, save=False)
        attachment.save()


@transaction.atomic
def ticket_create(
    *,
    requester_email: str,
    subject: str,
    school: School,
    classroom: str,
    description: str,
    ticket_type: TicketType | None = None,
    priority: int = Ticket.Priority.LOW,
    attachments: list[CheckedFile] = (),
    overridden_rule: RoutingRule | None = None,
    changed_by_rule: RoutingRule | None = None,
    routing_note: str = "",
    possible_duplicate_of: Ticket | None = None,
) -> Ticket:
    """Create a ticket with its attachments and queue the requester's receipt."""
    if changed_by_rule is not None:
        # A rule that lets the ticket through may raise its priority (never lower it) and brief the technician.
        priority = max(priority, changed_by_rule.raise_priority_to or 0)
        routing_note = changed_by_rule.technician_note
    ticket = Ticket(
        number=ticket_number_next(),
        requester_email=requester_email.strip().lower(),
        subject=subject.strip(),
        ticket_type=ticket_type,
        priority=priority,
        school=school,
        classroom=classroom.strip(),
        description=description.strip(),
        overridden_rule=overridden_rule,
        routing_note=routing_note.strip(),
        possible_duplicate_of=possible_duplicate_of,
    )
    ticket.full_clean()
    ticket.save()
    _attachments_save(ticket=ticket, attachments=attachments)
    email_enqueue(
        to=ticket.requester_email,
        template="notifications/email/ticket_receipt",
        context={
            "ticket": ticket,
            "attachments": list(ticket.attachments.all()),
            "ticket_url": ticket_link_url(ticket),
            "testing_window": testing_window_for_banner(at=ticket.created_at, school_id=ticket.school_id),
        },
        idempotency_key=f"ticket-receipt-{ticket.pk}",
        thread=f"ticket:{ticket.number}",
    )
    ticket_search_refresh(ticket_ids=[ticket.pk])
    return ticket


class TicketChangedError(Exception):
    """Another technician saved the ticket after this form was opened."""


class TicketMergeError(ValueError):
    """The merge cannot be done; the message says why."""


SEARCH_REFRESH_SQL = """
UPDATE tickets_ticket AS t SET search_vector =
    setweight(to_tsvector('simple', t.number::text), 'A')
    || setweight(to_tsvector('english', t.subject), 'A')
    || setweight(to_tsvector('simple', replace(replace(t.requester_email, '@', ' '), '.', ' ')), 'A')
    || setweight(to_tsvector('english', t.description), 'B')
    || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(e.body, ' ') FROM tickets_ticketevent AS e
        WHERE e.ticket_id = t.id AND e.kind IN ('reply', 'note', 'closed', 'requester', 'after_close')
    ), '')), 'C')
"""


def ticket_search_refresh(*, ticket_ids: list[int] | None) -> None:
    """Rebuild the full-text document of these tickets (all when None); PostgreSQL only."""
    if connection.vendor != "postgresql":
        return  # the SQLite fallback searches the columns directly
    with connection.cursor() as cursor:
        if ticket_ids is None:
            cursor.execute(SEARCH_REFRESH_SQL)
        else:
            cursor.execute(SEARCH_REFRESH_SQL + " WHERE t.id = ANY(%s)", [list(ticket_ids)])


def _event_add(*, ticket: Ticket, kind: str, acting_user, body: str = "", **fields) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, kind=kind, author=acting_user, body=body, **fields)


def _email_requester(*, ticket: Ticket, template: str, key: str, is_automatic: bool = False, **context) -> None:
    email_enqueue(
        to=ticket.requester_email,
        template=f"notifications/email/{template}",
        context={"ticket": ticket, "ticket_url": ticket_link_url(ticket), **context},
        idempotency_key=key,
        thread=f"ticket:{ticket.number}",
        is_automatic=is_automatic,
    )


@transaction.atomic
def ticket_reply(*, acting_user, ticket: Ticket, body: str) -> TicketEvent:
    """Send the requester a reply by email and record it on the timeline."""
    event = _event_add(ticket=ticket, kind=TicketEvent.Kind.REPLY, acting_user=acting_user, body=body.strip())
    now = timezone.now()
    updates = {"updated_at": now}
    if ticket.first_response_at is None:
        updates["first_response_at"] = now
    if ticket.status == Ticket.Status.OPEN:
        updates["status"] = Ticket.Status.IN_PROGRESS
        updates["version"] = F("version") + 1
    Ticket.objects.filter(pk=ticket.pk).update(**updates)
    ticket.refresh_from_db()
    _email_requester(ticket=ticket, template="ticket_reply", key=f"ticket-reply-{event.pk}", event=event)
    ticket_search_refresh(ticket_ids=[ticket.pk])
    return event


@transaction.atomic
def ticket_note_add(*, acting_user, ticket: Ticket, body: str) -> TicketEvent:
    """Record an internal note; it is never emailed."""
    event = _event_add(ticket=ticket, kind=TicketEvent.Kind.NOTE, acting_user=acting_user, body=body.strip())
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
    ticket_search_refresh(ticket_ids=[ticket.pk])
    return event


TRACKED_FIELDS = {
    "status": "Status",
    "priority": "Priority",
    "assignee": "Assignee",
    "ticket_type": "Type",
    "school": "School",
}


def _display(ticket: Ticket, field: str) -> str:
    if field == "status":
        return ticket.get_status_display()
    if field == "priority":
        return ticket.get_priority_display()
    value = getattr(ticket, field)
    if field == "assignee":
        return (value.get_full_name() or value.get_username()) if value else "Unassigned"
    return str(value) if value else "None"


@transaction.atomic
def ticket_update(*, acting_user, ticket: Ticket, expected_version: int | None, changes: dict) -> list[TicketEvent]:
    """Change status, priority, assignee, type or school; refuse if someone saved since expected_version."""
    unknown = set(changes) - set(TRACKED_FIELDS)
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} here")
    locked = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("assignee", "school", "ticket_type")
        .get(pk=ticket.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise TicketChangedError
    before = {field: _display(locked, field) for field in changes}
    for field, value in changes.items():
        setattr(locked, field, value)
    changed = [field for field in changes if _display(locked, field) != before[field]]
    if not changed:
        return []
    now = timezone.now()
    locked.updated_at = now
    locked.version += 1
    update_fields = [*changed, "updated_at", "version"]
    if "status" in changed:
        locked.closed_at = now if locked.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED) else None
        # The waiting clock (reminder, then automatic close) starts when the ticket starts waiting on the requester.
        locked.waiting_since = now if locked.status == Ticket.Status.WAITING else None
        locked.waiting_reminded_at = None
        update_fields += ["closed_at", "waiting_since", "waiting_reminded_at"]
    locked.save(update_fields=update_fields)
    return [
        _event_add(
            ticket=locked,
            kind=TicketEvent.Kind.CHANGE,
            acting_user=acting_user,
            field_name=TRACKED_FIELDS[field],
            old_value=before[field][:200],
            new_value=_display(locked, field)[:200],
        )
        for field in changed
    ]


@transaction.atomic
def ticket_close(
    *,
    acting_user,
    ticket: Ticket,
    resolution: str,
    expected_version: int | None = None,
    expected_status: str | None = None,
) -> Ticket:
    """Close an open ticket and email the requester the resolution; refuse if it changed meanwhile."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if expected_version is not None and locked.version != expected_version:
        raise TicketChangedError
    if not locked.is_open or (expected_status and locked.status != expected_status):
        raise TicketChangedError  # closed already (no second closing email), or no longer in the expected status
    now = timezone.now()
    old_status = locked.get_status_display()
    locked.status, locked.closed_at, locked.updated_at = Ticket.Status.CLOSED, now, now
    locked.version += 1
    locked.save(update_fields=["status", "closed_at", "updated_at", "version"])
    event = _event_add(
        ticket=locked,
        kind=TicketEvent.Kind.CLOSED,
        acting_user=acting_user,
        body=resolution.strip(),
        field_name="Status",
        old_value=old_status,
        new_value=locked.get_status_display(),
    )
    _email_requester(
        ticket=locked,
        template="ticket_closed",
        key=f"ticket-closed-{event.pk}",
        event=event,
        reopen_url=reopen_url(locked),
        solved_url=feedback_url(locked, Ticket.Satisfaction.SOLVED),
        not_solved_url=feedback_url(locked, Ticket.Satisfaction.NOT_SOLVED),
    )
    ticket_search_refresh(ticket_ids=[locked.pk])
    return locked


@transaction.atomic
def tickets_merge(*, acting_user, source: Ticket, target: Ticket) -> Ticket:
    """Move a duplicate's replies, notes and files to the target, close it, and tell its requester."""
    if source.pk == target.pk:
        raise TicketMergeError("A ticket cannot be merged into itself. Enter the number of the other ticket.")
    locked = {t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=[source.pk, target.pk])}
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id:
        raise TicketMergeError(f"Ticket {source.display_number} was already merged.")
    if target.merged_into_id:
        raise TicketMergeError(
            f"Ticket {target.display_number} was itself merged into another ticket; merge into that one instead."
        )
    moved = source.events.filter(
        kind__in=[TicketEvent.Kind.REPLY, TicketEvent.Kind.NOTE, TicketEvent.Kind.REQUESTER_REPLY]
    )
    if source.requester_email != target.requester_email:
        # Another person's conversation: technicians keep it, as notes, but the target's requester never sees it.
        for event in moved.exclude(kind=TicketEvent.Kind.NOTE):
            event.body = f"From {source.display_number} ({event.get_kind_display().lower()}): {event.body}"
            event.kind = TicketEvent.Kind.NOTE
            event.save(update_fields=["body", "kind"])
    moved.update(ticket=target)
    source.attachments.update(ticket=target)
    now = timezone.now()
    _event_add(
        ticket=target,
        kind=TicketEvent.Kind.NOTE,
        acting_user=acting_user,
        body=(
            f"Merged {source.display_number} from {source.requester_email} into this ticket. "
            f"Its subject: {source.subject}\n\n{source.description}"
        ),
    )
    _event_add(
        ticket=source,
        kind=TicketEvent.Kind.MERGED,
        acting_user=acting_user,
        body=f"Merged into {target.display_number}.",
        field_name="Status",
        old_value=source.get_status_display(),
        new_value=Ticket.Status.CLOSED.label,
    )
    source.status, source.closed_at, source.updated_at, source.merged_into = Ticket.Status.CLOSED, now, now, target
    source.version += 1
    source.save(update_fields=["status", "closed_at", "updated_at", "merged_into", "version"])
    Ticket.objects.filter(pk=target.pk).update(updated_at=now, version=F("version") + 1)
    _email_requester(ticket=source, template="ticket_merged", key=f"ticket-merged-{source.pk}", target=target)
    ticket_search_refresh(ticket_ids=[source.pk, target.pk])
    return target


@transaction.atomic
def tickets_bulk_update(*, acting_user, ticket_ids: list[int], changes: dict) -> int:
    """Apply the same change to many tickets, each recorded on its own timeline; return how many changed."""
    changed = 0
    for ticket in Ticket.objects.filter(pk__in=ticket_ids).order_by("pk"):
        changed += bool(ticket_update(acting_user=acting_user, ticket=ticket, expected_version=None, changes=changes))
    return changed


@transaction.atomic
def tickets_bulk_close(*, acting_user, ticket_ids: list[int], resolution: str) -> int:
    """Close many tickets with one message, emailed to each requester; return how many were closed."""
    tickets = Ticket.objects.filter(pk__in=ticket_ids, status__in=Ticket.OPEN_STATUSES).order_by("pk")
    count = 0
    for ticket in tickets:
        try:
            ticket_close(acting_user=acting_user, ticket=ticket, resolution=resolution)
        except TicketChangedError:
            continue
        count += 1
    return count


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, acting_user=None, reason: str) -> Ticket:
    """Open a closed ticket again and say why on its timeline; an open ticket is left as it is."""
    now = timezone.now()
    reopened = (
        Ticket.objects.filter(pk=ticket.pk)
        .exclude(status__in=Ticket.OPEN_STATUSES)
        .update(status=Ticket.Status.OPEN, closed_at=None, updated_at=now, version=F("version") + 1)
    )
    if not reopened:
        ticket.refresh_from_db()
        return ticket
    TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.REOPENED,
        author=acting_user,
        body=reason,
        field_name="Status",
        old_value=ticket.get_status_display(),
        new_value=Ticket.Status.OPEN.label,
    )
    ticket.refresh_from_db()
    return ticket


def _notify_assignee(*, ticket: Ticket, event: TicketEvent) -> None:
    if ticket.assignee and ticket.assignee.email:
        email_enqueue(
            to=ticket.assignee.email,
            template="notifications/email/technician_requester_replied",
            context={"ticket": ticket, "event": event},
            idempotency_key=f"assignee-notice-{event.pk}",
        )


@transaction.atomic
def ticket_requester_reply_add(*, ticket: Ticket, body: str, attachments: list[CheckedFile] = ()) -> TicketEvent:
    """Record what the requester added (by email or on My tickets), with files, and tell the assignee."""
    event = TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.REQUESTER_REPLY, body=body.strip())
    _attachments_save(ticket=ticket, attachments=attachments)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
    # The answer the ticket was waiting for: a status change, so a technician's form opened before it warns.
    Ticket.objects.filter(pk=ticket.pk, status=Ticket.Status.WAITING).update(
        status=Ticket.Status.IN_PROGRESS, waiting_since=None, waiting_reminded_at=None, version=F("version") + 1
    )
    _notify_assignee(ticket=ticket, event=event)
    ticket_search_refresh(ticket_ids=[ticket.pk])
    return event


@transaction.atomic
def ticket_feedback_record(*, ticket: Ticket, answer: str, comment: str = "") -> Ticket:
    """Keep the requester's answer to "was it solved?"; a later answer replaces an earlier one."""
    ticket.satisfaction = Ticket.Satisfaction(answer)
    ticket.satisfaction_comment = comment.strip()[:2000]
    ticket.satisfaction_at = timezone.now()
    ticket.save(update_fields=["satisfaction", "satisfaction_comment", "satisfaction_at"])
    return ticket


@transaction.atomic
def ticket_submission_add_to(
    *, ticket: Ticket, subject: str, description: str, school: School, classroom: str, attachments=()
) -> TicketEvent:
    """Put a new form submission on the requester's open ticket instead of opening a duplicate, and confirm it."""
    lines = [subject.strip(), "", description.strip()]
    if (school.pk, classroom.strip()) != (ticket.school_id, ticket.classroom):
        lines += ["", f"Where: {school}, {classroom.strip()}"]
    event = ticket_requester_reply_add(ticket=ticket, body="\n".join(lines), attachments=attachments)
    _email_requester(
        ticket=ticket, template="ticket_information_added", key=f"information-added-{event.pk}", event=event
    )
    return event


def _business_days_passed(*, since, days: int, today) -> bool:
    """Whether `days` business days (weekends and the district's closed days skipped) have passed since `since`."""
    from routing.selectors import business_days_after, closed_days_between

    # Closed days after today could only push the date later, and a later date is not due anyway.
    return business_days_after(start=since, days=days, closed=closed_days_between(start=since, end=today)) <= today


def waiting_tickets_follow_up(*, now=None) -> tuple[int, int]:
    """Remind requesters who have not answered, then close the ticket if they still do not; return both counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    choice = HelpDeskSettings.load()
    reminded = closed = 0
    waiting = Ticket.objects.filter(status=Ticket.Status.WAITING, waiting_since__isnull=False).order_by("pk")
    for ticket in waiting:
        if ticket.waiting_reminded_at is None:
            since = timezone.localdate(ticket.waiting_since)
            if _business_days_passed(since=since, days=choice.waiting_reminder_business_days, today=today):
                with transaction.atomic():
                    Ticket.objects.filter(pk=ticket.pk).update(waiting_reminded_at=now)
                    _email_requester(
                        ticket=ticket,
                        template="ticket_waiting_reminder",
                        key=f"waiting-reminder-{ticket.pk}-{ticket.waiting_since:%Y%m%d%H%M%S}",
                        close_after_days=choice.waiting_close_business_days,
                    )
                reminded += 1
        elif _business_days_passed(
            since=timezone.localdate(ticket.waiting_reminded_at), days=choice.waiting_close_business_days, today=today
        ):
            try:
                ticket_close(
                    acting_user=None,
                    ticket=ticket,
                    resolution=(
                        "We closed this ticket because we did not hear back from you after our reminder. "
                        "If you still need help, use the Reopen link below."
                    ),
                    expected_status=Ticket.Status.WAITING,
                )
            except TicketChangedError:
                continue  # answered or changed since this run read it
            closed += 1
    return reminded, closed
