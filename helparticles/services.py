"""Writes for help articles: the answers to “Did this solve it?”, searches that found nothing, drafts."""

import uuid

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from helparticles.models import RESERVED_SLUGS, ArticleFeedback, ArticleSearchMiss, HelpArticle


def article_feedback_record(*, article: HelpArticle, outcome: str, place: str) -> ArticleFeedback:
    """Record one answer; This solved it is a deflection: nothing else is created."""
    feedback = ArticleFeedback(article=article, outcome=outcome, place=place)
    feedback.full_clean()
    feedback.save()
    return feedback


def article_search_miss_record(*, query: str) -> None:
    """Remember a search that found nothing (lower-cased, spaces tidied), for the report of what to write next."""
    tidy = " ".join(query.lower().split())[:200]
    if tidy:
        ArticleSearchMiss.objects.create(query=tidy)


def _free_slug(title: str) -> str:
    base = slugify(title)[:180] or "article"
    taken = set(HelpArticle.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def article_draft_create(*, title: str, body: str, ticket_type_ids: list[int]) -> HelpArticle:
    """Make an unpublished draft (Create article from this ticket); an admin edits and publishes it."""
    article = HelpArticle(title=title[:200], slug=_free_slug(title), body=body, is_published=False)
    article.full_clean(exclude=["slug"])  # the slug is free and not reserved; the title and body are checked
    for attempt in range(3):
        try:
            with transaction.atomic():  # a savepoint: a colleague may take the same slug meanwhile
                article.save()
            break
        except IntegrityError:
            if attempt == 2:
                raise
            article.pk, article.slug = None, _free_slug(f"{title} {uuid.uuid4().hex[:6]}")
    article.ticket_types.set(ticket_type_ids)
    return article
