"""Help articles and tickets: which articles a requester saw before submitting anyway."""

from helparticles.models import HelpArticle
from tickets.models import Ticket, TicketSeenArticle


def ticket_seen_articles_record(*, ticket: Ticket, article_ids: list[int]) -> list[TicketSeenArticle]:
    """Link the published articles the ticket form showed (or the requester opened) to the new ticket."""
    if not article_ids:
        return []  # the usual case costs no query
    existing = HelpArticle.objects.filter(pk__in=article_ids, is_published=True).values_list("pk", flat=True)
    links = [TicketSeenArticle(ticket=ticket, article_id=pk) for pk in existing]
    return TicketSeenArticle.objects.bulk_create(links, ignore_conflicts=True)
