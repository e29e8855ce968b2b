from django import template

from helparticles.seen import seen_article_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def seen_articles(context) -> list[int]:
    """The articles this form already showed (or I still need help came from), kept as hidden values."""
    request = context.get("request")
    return seen_article_ids(request) if request is not None else []
