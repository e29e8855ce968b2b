"""An article's Markdown as safe HTML: raw HTML is never passed through, and the result is cleaned again (nh3)."""

from collections.abc import Mapping

import nh3
from markdown_it import MarkdownIt

# Raw HTML in the body is shown as text; links to javascript: and the like are refused by both parsers.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre",
    "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _shift_headings(tokens) -> None:
    """The page's title is its h1: a # heading in the body becomes an h2, and so on."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


def markdown_render(body: str, *, image_urls: Mapping[str, str] | None = None) -> str:
    """Return the body as HTML; an image shows only if it names one of the article's own images."""
    tokens = _markdown.parse(body)
    _shift_headings(tokens)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    images = image_urls or {}

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return images.get(value)  # an outside picture could track readers (and the CSP refuses it)
        return value

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=keep,
        link_rel="noopener noreferrer",
    )
