"""A ticket's state: its fields changed, closed (alone or in bulk) and reopened; a refusal when it changed meanwhile."""

import dataclasses

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tickets import signals
from tickets.links import feedback_url, reopen_url
from tickets.models import Ticket, TicketEvent
from tickets.reference import person_name
from tickets.search import ticket_search_refresh
from tickets.services.common import email_requester, event_add


class TicketChangedError(Exception):
    """Another technician saved the ticket after this form was opened."""


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
        return person_name(value) if value else "Unassigned"
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
    before_values = {field: locked.serializable_value(field) for field in changes}
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
    signals.ticket_changed.send(
        sender=Ticket,
        ticket=locked,
        acting_user=acting_user,
        changes={field: (before_values[field], locked.serializable_value(field)) for field in changed},
    )
    return [
        event_add(
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
    is_emailed: bool = True,
) -> Ticket:
    """Close an open ticket and email the requester the resolution; refuse if it changed meanwhile.

    `is_emailed=False` closes it without the closing email (and its satisfaction question): the caller tells the
    requester another way, as an outage's resolution does, once per person."""
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
    signals.ticket_changed.send(
        sender=Ticket, ticket=locked, acting_user=acting_user, changes={"status": (None, locked.status)}
    )
    event = event_add(
        ticket=locked,
        kind=TicketEvent.Kind.CLOSED,
        acting_user=acting_user,
        body=resolution.strip(),
        field_name="Status",
        old_value=old_status,
        new_value=locked.get_status_display(),
    )
    if is_emailed:
        _closing_emails_send(ticket=locked, event=event)
    ticket_search_refresh(ticket_ids=[locked.pk])
    return locked


def _closing_emails_send(*, ticket: Ticket, event: TicketEvent) -> None:
    """The resolution, with reopen and satisfaction links, to the requester and to each merged ticket's requester."""
    email_requester(
        ticket=ticket,
        template="ticket_closed",
        key=f"ticket-closed-{event.pk}",
        event=event,
        secrets={
            "reopen_url": reopen_url(ticket),
            "solved_url": feedback_url(ticket, Ticket.Satisfaction.SOLVED),
            "not_solved_url": feedback_url(ticket, Ticket.Satisfaction.NOT_SOLVED),
        },
    )
    _email_merged_requesters(target=ticket, event=event)


def _merged_into(target: Ticket) -> list[Ticket]:
    """Every ticket joined into `target`, directly or through a ticket that was itself merged into it."""
    found: list[Ticket] = []
    level = [target.pk]
    while level:
        joined = list(Ticket.objects.filter(merged_into_id__in=level).exclude(pk=target.pk).order_by("-pk"))
        level = [ticket.pk for ticket in joined if ticket not in found]
        found.extend(ticket for ticket in joined if ticket.pk in level)
    return found


def _email_merged_requesters(*, target: Ticket, event: TicketEvent) -> None:
    """The merge email told these requesters to follow this ticket: each hears its outcome once, about their own."""
    told = {target.requester_email}
    for source in _merged_into(target):
        if source.requester_email in told:
            continue
        told.add(source.requester_email)
        email_requester(
            ticket=source,
            template="merged_ticket_closed",
            key=f"merged-closed-{event.pk}-{source.pk}",
            event=event,
            target=target,
        )


@dataclasses.dataclass(frozen=True)
class BulkOutcome:
    """What a bulk action did: the ticket numbers it changed, and those it left alone with the reason for each."""

    changed: list[int] = dataclasses.field(default_factory=list)
    # Each left-alone ticket's number and why: "already closed", "already assigned to Casey Jones".
    skipped: dict[int, str] = dataclasses.field(default_factory=dict)

    def summary(self, *, done: str) -> str:
        """'Closed #1201 and #1202. #1203 was already closed.': `done` is the past tense of the action."""
        sentences = [f"{done} {_numbers(self.changed)}." if self.changed else "No ticket was changed."]
        by_reason: dict[str, list[int]] = {}
        for number, reason in self.skipped.items():
            by_reason.setdefault(reason, []).append(number)
        for reason, numbers in by_reason.items():
            sentences.append(f"{_numbers(numbers)} {'was' if len(numbers) == 1 else 'were'} {reason}.")
        return " ".join(sentences)


def _numbers(numbers: list[int], shown: int = 10) -> str:
    """'#1', '#1 and #2', '#1, #2 and #3'; past `shown`, the rest as a count so the message stays short."""
    labels = [f"#{number}" for number in sorted(numbers)]
    if len(labels) > shown:
        labels = [*labels[: shown - 1], f"{len(labels) - shown + 1} more"]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


# How a ticket that already had the asked-for value is described in a bulk action's result.
ALREADY = {"assignee": "already assigned to {}", "status": "already {}", "priority": "already {} priority"}


def _already(ticket: Ticket, name: str) -> str:
    if name == "assignee" and not ticket.assignee_id:
        return "already unassigned"
    value = _display(ticket, name)
    return ALREADY.get(name, "already {}").format(value.lower() if name == "status" else value)


@transaction.atomic
def tickets_bulk_update(*, acting_user, ticket_ids: list[int], changes: dict) -> BulkOutcome:
    """Apply the same change to many tickets, each recorded on its own timeline; say which changed and which not."""
    outcome = BulkOutcome()
    for ticket in Ticket.objects.filter(pk__in=ticket_ids).select_related("assignee").order_by("number"):
        if ticket_update(acting_user=acting_user, ticket=ticket, expected_version=None, changes=changes):
            outcome.changed.append(ticket.number)
            continue
        outcome.skipped[ticket.number] = " and ".join(_already(ticket, name) for name in changes)
    return outcome


@transaction.atomic
def tickets_bulk_close(*, acting_user, ticket_ids: list[int], resolution: str) -> BulkOutcome:
    """Close many tickets with one message, emailed to each requester; say which were closed and why others not."""
    outcome = BulkOutcome()
    for ticket in Ticket.objects.filter(pk__in=ticket_ids).order_by("number"):
        if not ticket.is_open:
            outcome.skipped[ticket.number] = f"already {ticket.get_status_display().lower()}"
            continue
        try:
            ticket_close(acting_user=acting_user, ticket=ticket, resolution=resolution)
        except TicketChangedError:
            outcome.skipped[ticket.number] = "changed by someone else meanwhile (open it to check)"
            continue
        outcome.changed.append(ticket.number)
    return outcome


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
    signals.ticket_changed.send(
        sender=Ticket, ticket=ticket, acting_user=acting_user, changes={"status": (None, ticket.status)}
    )
    return ticket
