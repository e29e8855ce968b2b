"""Reads of help articles: who may see which, the list by type, and the search (PostgreSQL full-text, or SQLite)."""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth

from helparticles.models import ArticleFeedback, ArticleSearchMiss, HelpArticle

Audience = HelpArticle.Audience
WORD = re.compile(r"[a-z0-9]+")
# Words that say nothing about the problem: a suggestion waits for a few meaningful ones.
STOP_WORDS = frozenset(
    "a an and are as at be but by can cannot could did does doesnt dont for from get had has have help how i im in "
    "into is isnt it its me my no not of on or our please room so that the their them there this to too up us was we "
    "when where which while why will with wont would you your".split()
)
SUGGEST_MIN_WORDS = 2
SUGGEST_MAX = 3


def article_audiences(*, is_technician: bool, is_staff: bool) -> tuple[str, ...]:
    """The audiences a viewer may read: staff have proved a district address; technicians read everything."""
    if is_technician:
        return (Audience.EVERYONE, Audience.STAFF, Audience.TECHNICIANS)
    if is_staff:
        return (Audience.EVERYONE, Audience.STAFF)
    return (Audience.EVERYONE,)


def articles_visible(*, audiences: tuple[str, ...]) -> QuerySet[HelpArticle]:
    """Published articles for these audiences: an unpublished one is shown to nobody outside admin."""
    return HelpArticle.objects.filter(is_published=True, audience__in=audiences)


def article_for_viewer(*, slug: str, audiences: tuple[str, ...]) -> HelpArticle | None:
    return articles_visible(audiences=audiences).prefetch_related("images").filter(slug=slug).first()


@dataclass(frozen=True)
class ArticleGroup:
    name: str
    articles: list[HelpArticle]


def articles_by_type(*, audiences: tuple[str, ...]) -> list[ArticleGroup]:
    """The visible articles under each ticket type they apply to (types in the form's order), then Other."""
    groups: dict[str, list[HelpArticle]] = {}
    order: dict[str, tuple] = {}
    articles = articles_visible(audiences=audiences).prefetch_related("ticket_types")
    for article in articles:
        types = list(article.ticket_types.all()) or [None]
        for ticket_type in types:
            name = ticket_type.name if ticket_type else "Other"
            groups.setdefault(name, []).append(article)
            order[name] = (ticket_type.order, name) if ticket_type else (10**9, name)
    return [ArticleGroup(name=name, articles=groups[name]) for name in sorted(groups, key=order.__getitem__)]


def meaningful_words(text: str) -> list[str]:
    """The words of the text that could name a problem, lower-cased, each once, in order."""
    words = [word for word in WORD.findall(text.lower()) if len(word) > 1 and word not in STOP_WORDS]
    return list(dict.fromkeys(words))


def _postgres_search(queryset: QuerySet, query: SearchQuery) -> QuerySet:
    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("keywords", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )
    return (
        queryset.annotate(search=vector, rank=SearchRank(vector, query)).filter(search=query).order_by("-rank", "title")
    )


def _fallback_search(queryset: QuerySet, words: list[str], *, every_word: bool) -> list[HelpArticle]:
    """SQLite: the queue's containment search, per word, ranked title 3, keywords 2, body 1."""
    if not words:
        return []
    conditions = [Q(title__icontains=w) | Q(keywords__icontains=w) | Q(body__icontains=w) for w in words]
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition if every_word else combined | condition
    scored = []
    for article in queryset.filter(combined):
        title, keywords, body = article.title.lower(), article.keywords.lower(), article.body.lower()
        score = sum(3 * (w in title) + 2 * (w in keywords) + (w in body) for w in words)
        scored.append((-score, article.title, article))
    return [article for *_, article in sorted(scored, key=lambda item: item[:2])]


def articles_search(*, query: str, audiences: tuple[str, ...], limit: int = 50) -> list[HelpArticle]:
    """The Help articles search box: every word must appear (as the queue's search), best match first."""
    query = query.strip()[:200]
    queryset = articles_visible(audiences=audiences)
    if connection.vendor == "postgresql":
        search = SearchQuery(query, search_type="websearch", config="english") | SearchQuery(
            query, search_type="plain", config="simple"
        )
        return list(_postgres_search(queryset, search)[:limit])
    return _fallback_search(queryset, WORD.findall(query.lower()), every_word=True)[:limit]


def articles_suggested(*, subject: str, description: str, audiences: tuple[str, ...]) -> list[HelpArticle]:
    """Up to three articles for what is typed so far; none until it holds a few meaningful words."""
    words = meaningful_words(f"{subject} {description}")[:30]
    if len(words) < SUGGEST_MIN_WORDS:
        return []
    queryset = articles_visible(audiences=audiences)
    if connection.vendor == "postgresql":
        # Any word may match (the words come from WORD, so the raw query holds nothing but words and |).
        search = SearchQuery(" | ".join(words), search_type="raw", config="english")
        return list(_postgres_search(queryset, search)[:SUGGEST_MAX])
    return _fallback_search(queryset, words, every_word=False)[:SUGGEST_MAX]


def article_deflections_by_month(*, start_at, end_at, tz) -> list[dict]:
    """This solved it answers (deflections) per article per month, newest month first: month, title, place counts."""
    rows = (
        ArticleFeedback.objects.filter(
            outcome=ArticleFeedback.Outcome.SOLVED, created_at__gte=start_at, created_at__lt=end_at
        )
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values("month", "article_id", title=F("article__title"))
        .annotate(
            on_article=Count("id", filter=Q(place=ArticleFeedback.Place.ARTICLE)),
            on_form=Count("id", filter=Q(place=ArticleFeedback.Place.TICKET_FORM)),
            total=Count("id"),
        )
        .order_by("-month", "-total", "title")
    )
    return [{**row, "month": row["month"].date() if hasattr(row["month"], "date") else row["month"]} for row in rows]


def article_answer_counts(*, start_at, end_at) -> dict[int, dict]:
    """Per article id: how many said This solved it and I still need help in the range."""
    rows = (
        ArticleFeedback.objects.filter(created_at__gte=start_at, created_at__lt=end_at)
        .values("article_id")
        .annotate(
            solved=Count("id", filter=Q(outcome=ArticleFeedback.Outcome.SOLVED)),
            still_need_help=Count("id", filter=Q(outcome=ArticleFeedback.Outcome.STILL_NEED_HELP)),
        )
    )
    return {row.pop("article_id"): row for row in rows}


def article_search_misses(*, start_at, end_at, limit: int = 100) -> list[dict]:
    """Searches on the Help articles page that found nothing, most asked first: query, count."""
    return list(
        ArticleSearchMiss.objects.filter(created_at__gte=start_at, created_at__lt=end_at)
        .values("query")
        .annotate(count=Count("id"))
        .order_by("-count", "query")[:limit]
    )
