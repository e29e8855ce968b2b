"""What a person wrote in an emailed reply, without the quoted history and signature their mail program added.

Two libraries look for the quote: quotequail (HTML and plain text, attribution lines in several languages, Outlook's
bordered header block) and mail-parser-reply (Outlook header blocks and signatures in many languages). Each misses
shapes the other finds, so the reply is cut at the earliest point either of them finds. Before that, the HTML is read
with lxml and the quote containers mail programs mark (Gmail's, Apple Mail's and Thunderbird's blockquotes, Yahoo's
quoted div, Outlook's header block) are removed as elements: that keeps a reply written *below* the quote
(bottom-posting), which a "cut everything after the quote starts" rule would lose.

Whatever the cutting does, a reply never comes out empty: when nothing visible is left, the whole text is kept and
`ReplyText.is_quote_unseparated` says so, for the ticket page to explain.
"""

import re
import unicodedata
from dataclasses import dataclass
from html import escape

import lxml.html
import quotequail
from lxml import etree
from mailparser_reply import EmailReplyParser

# mail-parser-reply's languages (Russian is not among them; quotequail and the blockquote rules cover it).
REPLY_LANGUAGES = ["en", "es", "fr", "de", "it", "nl", "pl", "sv", "da", "cs"]
FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|fw|wg|rv|tr|enc|fs|vs|pd|i)\s*:", re.IGNORECASE)
# "Label: value" lines of a quoted header block, in any language ("From:", "De :", "Von:", "От кого:").
HEADER_LINE = re.compile(r"^\s*\*?[^\W\d_][\w .-]{0,24}?\s?:\*?(\s|$)", re.UNICODE)
QUOTE_CONTAINERS = (
    "//blockquote[@type='cite']",  # Apple Mail, iPhone, Thunderbird
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote ')]",  # Gmail (web, Android, iOS)
    "//blockquote[contains(@class, 'gmail_quote')]",
    "//div[contains(@class, 'yahoo_quoted')]",  # Yahoo Mail
    "//div[contains(@class, 'moz-cite-prefix')]",  # Thunderbird's "On ... wrote:" line
)
# Markers after which everything is quoted history: Outlook on the web / Outlook.com / Hotmail (the header block, the
# empty div above its rule, the old Hotmail rule, the new Outlook's wrapper) and Outlook 2003's header block. Exchange
# prefixes ids with "x_" when a message passes through it again. The earliest one in the document wins.
QUOTE_STARTS = (
    "//*[@id='divRplyFwdMsg' or @id='x_divRplyFwdMsg']",
    "//*[@id='appendonsend' or @id='x_appendonsend']",
    "//hr[@id='stopSpelling' or @id='x_stopSpelling']",
    "//*[@id='mail-editor-reference-message-container']",
    "//div[contains(@class, 'OutlookMessageHeader')]",
)
BLOCK_TAGS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "table", "pre"}
# Mobile mail programs' signatures mail-parser-reply misses (French iPhone, Russian, Windows Mail, Yahoo).
DEVICE_SIGNATURE = re.compile(
    r"^(sent from (my|yahoo|mail for)|envoyé (de|depuis) mon|enviado desde|gesendet von|отправлено с|"
    r"get outlook for)\b.{0,40}$",
    re.IGNORECASE,
)
SIGNATURE_CONTAINERS = ("//div[contains(@class, 'moz-signature')]", "//div[@id='Signature']")


@dataclass(frozen=True)
class ReplyText:
    """What goes on the ticket, and whether it is the whole email because the quote could not be told apart."""

    text: str
    is_quote_unseparated: bool = False


def reply_text_of(*, plain: str | None, html: str | None, subject: str) -> ReplyText:
    """The reply to store from a message's plain and HTML parts: cut, unless that leaves nothing to read.

    A forward keeps everything (the forwarded message is what the technician needs).
    """
    forward = is_forward(subject)
    if plain is not None and (html is None or has_visible_text(plain)):  # some programs send an empty plain part
        text = plain.replace("\r\n", "\n")
        full = text.strip()
        cut = full if forward else reply_from_plain(text)
    elif html is not None:
        full = full_text_from_html(html)
        cut = full if forward else reply_from_html(html)
    else:
        return ReplyText("")
    if has_visible_text(cut):
        return ReplyText(_trimmed(cut))
    # Nothing the person could have written is left: keep the whole email rather than store an empty reply.
    return ReplyText(_trimmed(full), is_quote_unseparated=has_visible_text(full))


def has_visible_text(text: str) -> bool:
    """Whether any character would show: not only spaces, line breaks and invisible marks (zero-width space, BOM)."""
    return any(not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf", "Zs") for char in text or "")


def _trimmed(text: str) -> str:
    """Without spaces and invisible marks (Outlook's zero-width spaces) at either end."""
    start, end = 0, len(text)
    while start < end and not has_visible_text(text[start]):
        start += 1
    while end > start and not has_visible_text(text[end - 1]):
        end -= 1
    return text[start:end]


def is_forward(subject: str) -> bool:
    """Whether the subject says the message forwards another one ("Fwd:", "FW:", "RV:", ...)."""
    return bool(FORWARD_SUBJECT.match(subject or ""))


def reply_from_plain(text: str) -> str:
    """The new text of a plain-text reply."""
    text = _without_quoted_lines(text.replace("\r\n", "\n"))
    candidates = [_quotequail_top(text), _mail_parser_reply_top(text)]
    kept = [candidate.strip() for candidate in candidates if candidate and candidate.strip()]
    return _without_device_signature(min(kept, key=len) if kept else text)


def reply_from_html(html: str) -> str:
    """The new text of an HTML reply (for messages with no plain-text part, such as Outlook's HTML-only replies)."""
    tree = _tree(html)
    if tree is None:
        return ""
    for path in QUOTE_CONTAINERS + SIGNATURE_CONTAINERS:
        for element in tree.xpath(path):
            _drop(element)
    top = quotequail.quote_html(etree.tostring(tree, encoding="unicode"), quote_intro_line=True)[0][1]
    tree = _tree(top)
    if tree is None:
        return ""
    start = _first_quote_start(tree)
    if start is not None:
        _cut_from(start)
    return reply_from_plain(html_to_text(tree))


def full_text_from_html(html: str) -> str:
    """All the text of an HTML message, for forwards, where nothing is cut."""
    tree = _tree(html)
    return html_to_text(tree).strip() if tree is not None else ""


def html_to_text(tree) -> str:
    """Text of an lxml tree, with a line break for each <br> and block element."""
    for element in tree.xpath("//style|//script|//head|//title"):
        _drop(element)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "br" or tag in BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
        if tag in BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
    text = tree.text_content().replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _tree(html: str):
    if not html or not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _drop(element) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    if element.getparent() is not None:
        element.drop_tree()


def _cut_from(element) -> None:
    """Remove an element and everything after it in document order."""
    node = element
    while node.getparent() is not None:
        parent = node.getparent()
        for sibling in list(node.itersiblings()):
            parent.remove(sibling)
        if node is not element:
            node.tail = None
        node = parent
    element.tail = None
    element.getparent().remove(element)


def _first_quote_start(tree):
    """The earliest element, in document order, where Outlook's quoted history begins, or None.

    Document order matters when the rule and header block sit inside the same block as the person's words (Outlook.com
    and Hotmail): cutting from the earliest marker keeps everything above it, however deeply it is nested.
    """
    candidates = [element for path in QUOTE_STARTS for element in tree.xpath(path)]
    for element in tree.iter("div", "p", "hr"):
        if element.tag == "hr":
            if _is_header_block(_text_after(element)):
                candidates.append(element)
        elif "border-top" in (element.get("style") or "").replace(" ", "").lower() and _is_header_block(
            _block_text(element)
        ):
            candidates.append(element)
    if not candidates:
        return None
    order = {element: index for index, element in enumerate(tree.iter())}
    return min(candidates, key=lambda element: order.get(element, len(order)))


def _text_after(element) -> str:
    """The text right after an element: its tail and the siblings that follow (Hotmail writes the header there)."""
    parts = [escape(element.tail or "")]
    for sibling in list(element.itersiblings())[:12]:
        parts.append(etree.tostring(sibling, encoding="unicode", with_tail=True))
    markup = "".join(parts).strip()
    return html_to_text(lxml.html.fragment_fromstring(markup, create_parent="div")) if markup else ""


def _block_text(element) -> str:
    copy = lxml.html.fromstring(etree.tostring(element, encoding="unicode"))
    return html_to_text(copy)


def _is_header_block(text: str) -> bool:
    """At least two "Label: value" lines at the start: Outlook's From/Sent/To/Subject block, in any language."""
    lines = [line for line in text.split("\n") if line.strip()][:6]
    return len(lines) >= 2 and sum(bool(HEADER_LINE.match(line)) for line in lines) >= 2


def _without_quoted_lines(text: str) -> str:
    """Drop ">" quoted lines and the attribution line just above them ("On ... wrote:", "El ... escribió:").

    A line ending in ":" right above a quoted block introduces it, whatever the language; this keeps a reply
    written below the quote (Thunderbird's bottom-posting).
    """
    lines, kept = text.split("\n"), []
    for line in lines:
        if line.lstrip().startswith(">"):
            while kept and not kept[-1].strip():
                kept.pop()
            if kept and kept[-1].rstrip().endswith(":") and not HEADER_LINE.match(kept[-1]):
                kept.pop()
                if kept and _is_wrapped_attribution_start(kept[-1]):
                    kept.pop()
            continue
        kept.append(line)
    return "\n".join(kept)


def _is_wrapped_attribution_start(line: str) -> bool:
    """The first half of an attribution wrapped over two lines: it holds the address or breaks after it."""
    line = line.rstrip()
    return bool(line) and ("@" in line or line.endswith(("<", ">", ")", ",")))


def _quotequail_top(text: str) -> str:
    parts = quotequail.quote(text, quote_intro_line=True)
    return parts[0][1] if parts and parts[0][0] else ""


def _mail_parser_reply_top(text: str) -> str:
    replies = EmailReplyParser(languages=REPLY_LANGUAGES).read(text=text).replies
    return replies[0].body if replies else ""  # body: without the signature mail-parser-reply found


def _without_device_signature(text: str) -> str:
    """Drop a last line such as "Sent from my iPhone" in the languages mail-parser-reply does not know."""
    lines = text.rstrip().split("\n")
    if len(lines) > 1 and DEVICE_SIGNATURE.match(lines[-1].strip()):
        lines.pop()
    return "\n".join(lines).rstrip()
