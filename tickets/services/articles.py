"""Help articles and tickets: which articles a requester saw before submitting anyway."""

from helparticles.models import HelpArticle
from helparticles.services import article_draft_create
from tickets.models import Ticket, TicketEvent, TicketSeenArticle


def ticket_seen_articles_record(*, ticket: Ticket, article_ids: list[int]) -> list[TicketSeenArticle]:
    """Link the published articles the ticket form showed (or the requester opened) to the new ticket."""
    if not article_ids:
        return []  # the usual case costs no query
    existing = HelpArticle.objects.filter(pk__in=article_ids, is_published=True).values_list("pk", flat=True)
    links = [TicketSeenArticle(ticket=ticket, article_id=pk) for pk in existing]
    return TicketSeenArticle.objects.bulk_create(links, ignore_conflicts=True)


def ticket_article_draft_create(*, acting_user, ticket: Ticket) -> HelpArticle:
    """Create article from this ticket: an unpublished draft from its subject and resolution, for an admin to edit."""
    resolution = (
        ticket.events.filter(kind=TicketEvent.Kind.CLOSED)
        .order_by("-created_at")
        .values_list("body", flat=True)
        .first()
    )
    steps = resolution or "Write the steps that fixed it here, one per line, starting with 1."
    body = (
        f"Drafted by {acting_user.get_username()} from ticket #{ticket.number}. Before publishing, remove names, "
        f"rooms and anything else personal.\n\n## What fixed it\n\n{steps}\n\n## Still not working?\n\n"
        "Submit a ticket with your school, classroom number and any error message."
    )
    type_ids = [ticket.ticket_type_id] if ticket.ticket_type_id else []
    return article_draft_create(title=ticket.subject, body=body, ticket_type_ids=type_ids)
