"""Help articles as technicians hand them on: a public link a requester can open, and the reply text that holds it."""

from django.conf import settings
from django.urls import reverse

from helparticles.models import HelpArticle
from helpdesk.kept import kept_table

LINKABLE_SECONDS = 300


@kept_table("helparticles:linkable:v1", seconds=LINKABLE_SECONDS, forgotten_by=(HelpArticle,))
def articles_linkable_kept() -> list[tuple[int, str, str]]:
    """(pk, title, slug) of the published articles a requester can open (not technicians-only), by title."""
    linkable = HelpArticle.objects.filter(is_published=True).exclude(audience=HelpArticle.Audience.TECHNICIANS)
    return list(linkable.order_by("title").values_list("pk", "title", "slug"))


def article_public_url(*, slug: str) -> str:
    return settings.HELPDESK_BASE_URL + reverse("helparticles:detail", kwargs={"slug": slug})


def article_links_for_reply() -> list[tuple[int, str, str]]:
    """(pk, title, the text Insert article link adds to a reply) for the composer; read from the cache."""
    return [(pk, title, f"{title}: {article_public_url(slug=slug)}") for pk, title, slug in articles_linkable_kept()]
