"""What the ticket services share: saving files, adding to a ticket's timeline, emailing its requester."""

from district.attachments import CheckedFile
from notifications.services import email_enqueue
from tickets.links import ticket_link_url
from tickets.models import Attachment, Ticket, TicketEvent


def attachments_save(*, ticket: Ticket, attachments: list[CheckedFile]) -> list[Attachment]:
    saved = []
    for checked in attachments:
        attachment = Attachment(
            ticket=ticket, original_name=checked.original_name, content_type=checked.content_type, size=checked.size
        )
        attachment.file.save("upload", checked.upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


def event_add(*, ticket: Ticket, kind: str, acting_user, body: str = "", **fields) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, kind=kind, author=acting_user, body=body, **fields)


def email_requester(
    *,
    ticket: Ticket,
    template: str,
    key: str,
    is_automatic: bool = False,
    secrets: dict[str, str] | None = None,
    **context,
) -> None:
    """Email the ticket's requester; live links go in `secrets`, so they are never stored readable."""
    email_enqueue(
        to=ticket.requester_email,
        template=f"notifications/email/{template}",
        context={"ticket": ticket, **context},
        secrets={"ticket_url": ticket_link_url(ticket), **(secrets or {})},
        idempotency_key=key,
        thread=f"ticket:{ticket.number}",
        is_automatic=is_automatic,
    )
