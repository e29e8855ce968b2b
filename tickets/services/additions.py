"""Additions that wait or join: "Add to ticket #N" from the form, at once for the requester, else once confirmed."""

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from district.attachments import CheckedFile
from district.models import School
from district.storage import attachment_storage
from notifications.services import email_enqueue
from tickets.models import PendingAddition, Ticket, TicketEvent
from tickets.services.common import email_requester
from tickets.services.conversation import ticket_followed, ticket_requester_addition_add, ticket_requester_reply_add

PENDING_ADDITION_LIFETIME = timedelta(days=3)


# Waiting additions per ticket: enough for a real requester, too few for a stranger to flood their mailbox.
PENDING_ADDITIONS_PER_TICKET = 3


FOLDER = "pending-additions"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _files_store(attachments: list[CheckedFile]) -> list[dict]:
    storage = attachment_storage()
    stored = []
    for item in attachments:
        item.upload.seek(0)
        path = storage.save(f"{FOLDER}/{uuid.uuid4().hex}", item.upload)
        stored.append({"path": path, "name": item.original_name, "type": item.content_type, "size": item.size})
    return stored


def _files_delete(files: list[dict]) -> None:
    storage = attachment_storage()
    for item in files:
        if str(item["path"]).startswith(f"{FOLDER}/"):
            storage.delete(item["path"])


@transaction.atomic
def pending_addition_create(
    *, ticket: Ticket, body: str, attachments: list[CheckedFile] = (), now: datetime | None = None
) -> PendingAddition | None:
    """Keep the addition and email the requester a link to confirm it; nothing reaches the ticket yet.

    Return None, storing and sending nothing, when the ticket already has its share of additions waiting.
    """
    now = now or timezone.now()
    Ticket.objects.select_for_update().filter(pk=ticket.pk).first()  # one count at a time per ticket
    if PendingAddition.objects.filter(ticket=ticket, expires_at__gt=now).count() >= PENDING_ADDITIONS_PER_TICKET:
        return None
    token = secrets.token_urlsafe(32)
    addition = PendingAddition.objects.create(
        ticket=ticket,
        token_hash=_hash(token),
        body=body.strip(),
        files=_files_store(list(attachments)),
        created_at=now,
        expires_at=now + PENDING_ADDITION_LIFETIME,
    )
    files = addition.files
    email_enqueue(
        to=ticket.requester_email,
        template="notifications/email/pending_addition_confirm",
        context={"ticket_number": ticket.number, "addition": addition, "file_names": [f["name"] for f in files]},
        secrets={"confirm_url": settings.HELPDESK_BASE_URL + reverse("tickets:addition", kwargs={"token": token})},
        idempotency_key=f"pending-addition-{addition.pk}",
        thread=f"ticket:{ticket.number}",
    )
    return addition


@transaction.atomic
def pending_addition_confirm(*, token: str, now: datetime | None = None) -> TicketEvent | None:
    """Add the waiting addition to its ticket (the requester pressed the button); None when there is none to add."""
    now = now or timezone.now()
    addition = PendingAddition.objects.select_for_update().filter(token_hash=_hash(token), expires_at__gt=now).first()
    if addition is None or not ticket_followed(ticket=addition.ticket).is_open:
        return None
    storage = attachment_storage()
    attachments = [
        CheckedFile(
            upload=File(storage.open(item["path"], "rb"), name=item["name"]),
            original_name=item["name"],
            content_type=item["type"],
            size=item["size"],
        )
        for item in addition.files
        if storage.exists(item["path"])
    ]
    ticket = addition.ticket
    event = ticket_requester_addition_add(
        ticket=ticket, sender_email=ticket.requester_email, body=addition.body, attachments=attachments
    )
    for attachment in attachments:
        attachment.upload.close()
    files = addition.files
    addition.delete()
    transaction.on_commit(lambda: _files_delete(files))
    return event


@transaction.atomic
def pending_addition_ignore(*, token: str) -> bool:
    """Drop a waiting addition and its files (the requester chose to ignore it); False when there was none."""
    addition = PendingAddition.objects.select_for_update().filter(token_hash=_hash(token)).first()
    if addition is None:
        return False
    files = addition.files
    addition.delete()
    transaction.on_commit(lambda: _files_delete(files))
    return True


def pending_additions_expire(*, now: datetime | None = None) -> int:
    """Remove additions nobody confirmed in time, with their files; return how many."""
    now = now or timezone.now()
    removed = 0
    for addition in PendingAddition.objects.filter(expires_at__lte=now).order_by("pk"):
        with transaction.atomic():
            deleted, _ = PendingAddition.objects.filter(pk=addition.pk).delete()
        if deleted:
            _files_delete(addition.files)
            removed += 1
    return removed


@transaction.atomic
def ticket_submission_add_pending(
    *, ticket: Ticket, subject: str, description: str, school: School, classroom: str, attachments=()
) -> PendingAddition | None:
    """From a browser not signed in as the requester: add nothing yet, and email the requester to confirm."""
    body = submission_addition_text(
        ticket=ticket, subject=subject, description=description, school=school, classroom=classroom
    )
    return pending_addition_create(ticket=ticket, body=body, attachments=attachments)


def submission_addition_text(*, ticket: Ticket, subject: str, description: str, school: School, classroom: str) -> str:
    """The words a form submission adds to an open ticket: subject, description, and the place when it differs."""
    lines = [subject.strip(), "", description.strip()]
    if (school.pk, classroom.strip()) != (ticket.school_id, ticket.classroom):
        lines += ["", f"Where: {school}, {classroom.strip()}"]
    return "\n".join(lines)


@transaction.atomic
def ticket_submission_add_to(
    *, ticket: Ticket, subject: str, description: str, school: School, classroom: str, attachments=()
) -> TicketEvent:
    """Put a verified requester's new form submission on their open ticket instead of a duplicate, and confirm it."""
    body = submission_addition_text(
        ticket=ticket, subject=subject, description=description, school=school, classroom=classroom
    )
    event = ticket_requester_reply_add(ticket=ticket, body=body, attachments=attachments)
    email_requester(
        ticket=ticket, template="ticket_information_added", key=f"information-added-{event.pk}", event=event
    )
    return event
