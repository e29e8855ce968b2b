"""The one generic matcher: keywords and phrases as whole words, CAPITALS matched exactly, `word*` endings, regex.

Text is split into words once; every keyword is then a set lookup or a substring search of a space-joined string,
both done in C, so hundreds of rules cost well under a millisecond against a long description.
"""

import re
from dataclasses import dataclass

WORD = re.compile(r"\w+")
# Text no real rule should match; a pattern that matches it would claim every request.
NONSENSE_SAMPLES = ("", "qzxv 0", "Printer in room 12 will not print")


@dataclass(frozen=True)
class Keyword:
    text: str  # as the admin wrote it, for the rule tester
    words: tuple[str, ...]
    exact_case: bool
    prefix: bool

    def found_in(self, text: "PreparedText") -> bool:
        joined = text.joined if self.exact_case else text.lower_joined
        if len(self.words) == 1 and not self.prefix:
            return self.words[0] in (text.word_set if self.exact_case else text.lower_word_set)
        needle = " " + " ".join(self.words) + ("" if self.prefix else " ")
        return needle in joined


def parse_keyword(line: str) -> Keyword | None:
    raw = line.strip()
    if not raw:
        return None
    body = raw.rstrip("*").strip()
    words = tuple(WORD.findall(body))
    if not words:
        raise ValueError(f"“{raw}” has no letters or numbers to match. Remove it or add a word.")
    letters = "".join(ch for ch in body if ch.isalpha())
    exact_case = len(letters) >= 2 and letters.isupper()
    return Keyword(
        text=raw,
        words=words if exact_case else tuple(word.lower() for word in words),
        exact_case=exact_case,
        prefix=raw.endswith("*"),
    )


def keyword_lines(text: str) -> tuple[Keyword, ...]:
    """Parse one keyword or phrase per line; raise ValueError naming a line that cannot match anything."""
    return tuple(keyword for line in (text or "").splitlines() if (keyword := parse_keyword(line)))


def pattern_problem(pattern: str) -> str | None:
    """Return why a regular expression cannot be used, or None."""
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        return f"This regular expression does not work: {exc}. Fix it or leave the box empty."
    if any(compiled.search(sample) for sample in NONSENSE_SAMPLES):
        return "This regular expression matches almost any text, so it would claim every request. Make it narrower."
    return None


class PreparedText:
    """A request's words, split once and shared by every rule."""

    __slots__ = ("original", "joined", "lower_joined", "word_set", "lower_word_set")

    def __init__(self, text: str):
        words = WORD.findall(text)
        lower = [word.lower() for word in words]
        self.original = text
        self.joined = " " + " ".join(words) + " "
        self.lower_joined = " " + " ".join(lower) + " "
        self.word_set = frozenset(words)
        self.lower_word_set = frozenset(lower)


@dataclass(frozen=True)
class CompiledRule:
    pk: int
    type_names: dict  # ticket type id -> name; empty means any type
    keywords: tuple[Keyword, ...]
    unless: tuple[Keyword, ...]
    pattern: re.Pattern | None

    @classmethod
    def build(cls, *, pk: int, type_names: dict, keywords: str, unless_keywords: str, pattern: str) -> "CompiledRule":
        try:
            compiled_pattern = re.compile(pattern, re.IGNORECASE) if pattern else None
        except re.error:
            compiled_pattern = None  # admin refuses these; a row saved another way must not break the form
        return cls(
            pk=pk,
            type_names=type_names,
            keywords=_safe_keywords(keywords),
            unless=_safe_keywords(unless_keywords),
            pattern=compiled_pattern,
        )

    def match(self, text: PreparedText, *, ticket_type_id: int | None) -> str | None:
        """Return what matched (a keyword, the regex's text or the type), or None."""
        if self.type_names and ticket_type_id not in self.type_names:
            return None
        if any(keyword.found_in(text) for keyword in self.unless):
            return None
        if self.keywords or self.pattern:
            for keyword in self.keywords:
                if keyword.found_in(text):
                    return keyword.text
            if self.pattern and (found := self.pattern.search(text.original)):
                return found.group(0)[:200]
            return None
        if self.type_names:
            return f"Type: {self.type_names[ticket_type_id]}"
        return None  # a rule with nothing to match never claims a request


def _safe_keywords(text: str) -> tuple[Keyword, ...]:
    keywords = []
    for line in (text or "").splitlines():
        try:
            keyword = parse_keyword(line)
        except ValueError:
            continue
        if keyword:
            keywords.append(keyword)
    return tuple(keywords)
