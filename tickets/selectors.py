from tickets.models import Ticket


def ticket_for_confirmation(*, public_id, allowed_public_ids: list[str]) -> Ticket | None:
    """Return the just-submitted ticket, only for the browser session that submitted it."""
    if str(public_id) not in allowed_public_ids:
        return None
    return (
        Ticket.objects.select_related("school", "ticket_type")
        .prefetch_related("attachments")
        .filter(public_id=public_id)
        .first()
    )
