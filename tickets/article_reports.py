"""The Help articles report: deflections per article per month, articles that did not help, what to write next."""

from datetime import date

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone

from helparticles.models import HelpArticle
from helparticles.selectors import article_answer_counts, article_deflections_by_month, article_search_misses
from tickets.models import Ticket, TicketSeenArticle
from tickets.reports import day_range

UNMATCHED_LIMIT = 100


def articles_unhelpful(*, start_at, end_at) -> list[dict]:
    """Per article: tickets submitted after it was shown, and the answers given on it, most tickets first."""
    tickets_after = dict(
        TicketSeenArticle.objects.filter(ticket__created_at__gte=start_at, ticket__created_at__lt=end_at)
        .values("article_id")
        .annotate(n=Count("ticket_id", distinct=True))
        .values_list("article_id", "n")
    )
    answers = article_answer_counts(start_at=start_at, end_at=end_at)
    ids = set(tickets_after) | set(answers)
    titles = dict(HelpArticle.objects.filter(pk__in=ids).values_list("pk", "title"))
    rows = [
        {
            "title": titles.get(pk, "(deleted)"),
            "tickets_after": tickets_after.get(pk, 0),
            "still_need_help": answers.get(pk, {}).get("still_need_help", 0),
            "solved": answers.get(pk, {}).get("solved", 0),
        }
        for pk in ids
    ]
    return sorted(rows, key=lambda row: (-row["tickets_after"], -row["still_need_help"], row["title"]))


def unmatched_subjects(*, start_at, end_at, limit: int = UNMATCHED_LIMIT) -> list[dict]:
    """Subjects of tickets the form found no article for (none was shown), most frequent first."""
    seen = TicketSeenArticle.objects.filter(ticket_id=OuterRef("pk"))
    return list(
        Ticket.objects.filter(created_at__gte=start_at, created_at__lt=end_at, merged_into__isnull=True)
        .filter(~Exists(seen))
        .annotate(subject_lower=Lower("subject"))
        .values("subject_lower")
        .annotate(count=Count("id"))
        .order_by("-count", "subject_lower")[:limit]
    )


def article_report_for_range(*, start: date, end: date) -> dict:
    tz = timezone.get_current_timezone()
    start_at, end_at = day_range(start=start, end=end, tz=tz)
    return {
        "deflections": article_deflections_by_month(start_at=start_at, end_at=end_at, tz=tz),
        "unhelpful": articles_unhelpful(start_at=start_at, end_at=end_at),
        "search_misses": article_search_misses(start_at=start_at, end_at=end_at),
        "unmatched_subjects": unmatched_subjects(start_at=start_at, end_at=end_at),
    }


CSV_TABLES = {
    "deflections": (
        ["Month", "Article", "Solved on the article page", "Solved on the ticket form", "Deflections"],
        lambda row: [row["month"].strftime("%Y-%m"), row["title"], row["on_article"], row["on_form"], row["total"]],
    ),
    "unhelpful": (
        ["Article", "Tickets submitted after seeing it", "I still need help", "This solved it"],
        lambda row: [row["title"], row["tickets_after"], row["still_need_help"], row["solved"]],
    ),
    "search_misses": (["Search that found nothing", "Times"], lambda row: [row["query"], row["count"]]),
    "unmatched_subjects": (
        ["Ticket subject with no article shown", "Tickets"],
        lambda row: [row["subject_lower"], row["count"]],
    ),
}
