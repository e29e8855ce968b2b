"""Joining a duplicate into the ticket it repeats: its conversation, files and requester follow the target."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tickets.models import Ticket, TicketEvent
from tickets.search import ticket_search_refresh
from tickets.services.common import email_requester, event_add


class TicketMergeError(ValueError):
    """The merge cannot be done; the message says why."""


def _conversation_to_notes(*, source: Ticket, events) -> None:
    """Another person's conversation: technicians keep it, as notes, but the target's requester never sees it."""
    for event in events.exclude(kind=TicketEvent.Kind.NOTE):
        if event.kind == TicketEvent.Kind.REQUESTER_REPLY:
            event.correspondent = source.requester_email  # marked with who wrote it
        event.body = f"From {source.display_number} ({event.get_kind_display().lower()}): {event.body}"
        event.kind = TicketEvent.Kind.NOTE
        event.save(update_fields=["body", "kind", "correspondent"])


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
        _conversation_to_notes(source=source, events=moved)
    moved.update(ticket=target)
    source.attachments.update(ticket=target)
    now = timezone.now()
    event_add(
        ticket=target,
        kind=TicketEvent.Kind.NOTE,
        acting_user=acting_user,
        body=(
            f"Merged {source.display_number} from {source.requester_email} into this ticket. "
            f"Its subject: {source.subject}\n\n{source.description}"
        ),
    )
    event_add(
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
    email_requester(ticket=source, template="ticket_merged", key=f"ticket-merged-{source.pk}", target=target)
    ticket_search_refresh(ticket_ids=[source.pk, target.pk])
    return target
