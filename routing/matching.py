"""The one generic matcher: keywords and phrases as whole words, CAPITALS matched exactly, `word*` endings, regex.

Regular expressions run on RE2 (google-re2), whose time grows linearly with the text whatever the pattern.

Text is split into words once; every keyword is then a set lookup or a substring search of a space-joined string,
both done in C, so hundreds of rules cost well under a millisecond against a long description.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass

import re2

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
        word_set = text.word_set if self.exact_case else text.lower_word_set
        if not self.prefix:
            if len(self.words) == 1:
                return self.words[0] in word_set
            if not all(word in word_set for word in self.words):
                return False  # cheap test first: every word must be there before the phrase can be
            return f" {' '.join(self.words)} " in (text.joined if self.exact_case else text.lower_joined)
        if not all(word in word_set for word in self.words[:-1]) or not text.has_prefix(
            self.words[-1], self.exact_case
        ):
            return False
        return f" {' '.join(self.words)}" in (text.joined if self.exact_case else text.lower_joined)


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


# RE2 runs in time linear in the text for every pattern it accepts, so no rule can make the public live check hang.
# It refuses the features that need backtracking (backreferences, look-ahead and look-behind).
RE2_OPTIONS = re2.Options()
RE2_OPTIONS.case_sensitive = False
RE2_OPTIONS.log_errors = False  # a refused pattern is reported to the admin, not printed to the server's log
BACKREFERENCE = (
    "This regular expression uses a backreference (like \\1 or (?P=name)), which the help desk does not allow "
    "because it can make the ticket form hang on a long description. Write out what should repeat instead, for "
    "example (cart|trolley) (cart|trolley), or use the keywords box."
)
LOOKAROUND = (
    "This regular expression uses a look-ahead or look-behind (like (?=…), (?!…), (?<=…) or (?<!…)), which the "
    "help desk does not allow because it can make the ticket form hang on a long description. Match the words "
    "directly, and put words that must not appear in “unless these appear”."
)


def compile_pattern(pattern: str) -> "re2._Regexp":
    """Compile a rule's pattern with RE2, case ignored; raise re2.error for one RE2 refuses."""
    return re2.compile(pattern, options=RE2_OPTIONS)


def _refusal(pattern: str, error: re2.error) -> str:
    """Say why RE2 refused a pattern, and what to write instead."""
    try:
        re.compile(pattern)
    except re.error as python_error:
        return f"This regular expression does not work: {python_error}. Fix it or leave the box empty."
    detail = error.args[0].decode(errors="replace") if isinstance(error.args[0], bytes) else str(error.args[0])
    if any(operator in detail for operator in ("(?=", "(?!", "(?<=", "(?<!")):
        return LOOKAROUND
    if "(?P" in detail or any(f"\\{digit}" in detail for digit in "123456789"):
        return BACKREFERENCE
    return (
        f"This regular expression uses something the help desk's linear-time matcher (RE2) does not support: "
        f"{detail}. Rewrite that part (for example \\z instead of \\Z for the end, + instead of ++), or use keywords."
    )


def pattern_problem(pattern: str) -> str | None:
    """Return why a regular expression cannot be used, or None."""
    try:
        compiled = compile_pattern(pattern)
    except re2.error as error:
        return _refusal(pattern, error)
    if any(compiled.search(sample) for sample in NONSENSE_SAMPLES):
        return "This regular expression matches almost any text, so it would claim every request. Make it narrower."
    return None


class PreparedText:
    """A request's words, split once and shared by every rule."""

    __slots__ = ("original", "joined", "lower_joined", "word_set", "lower_word_set", "_sorted")

    def __init__(self, text: str):
        words = WORD.findall(text)
        self.original = text
        self.joined = " " + " ".join(words) + " "
        self.lower_joined = self.joined.lower()
        self.word_set = frozenset(words)
        self.lower_word_set = frozenset(word.lower() for word in words)
        self._sorted: dict[bool, list[str]] = {}

    def has_prefix(self, prefix: str, exact_case: bool) -> bool:
        """Return whether any word starts with `prefix` (binary search in the sorted words)."""
        if exact_case not in self._sorted:
            self._sorted[exact_case] = sorted(self.word_set if exact_case else self.lower_word_set)
        words = self._sorted[exact_case]
        index = bisect_left(words, prefix)
        return index < len(words) and words[index].startswith(prefix)


@dataclass(frozen=True)
class CompiledRule:
    pk: int
    type_names: dict  # ticket type id -> name; empty means any type
    keywords: tuple[Keyword, ...]
    unless: tuple[Keyword, ...]
    pattern: "re2._Regexp | None"

    @classmethod
    def build(cls, *, pk: int, type_names: dict, keywords: str, unless_keywords: str, pattern: str) -> "CompiledRule":
        try:
            # Admin refuses patterns RE2 cannot run; a row saved another way must not break the form.
            compiled_pattern = compile_pattern(pattern) if pattern else None
        except re2.error:
            compiled_pattern = None
        return cls(
            pk=pk,
            type_names=type_names,
            keywords=_safe_keywords(keywords),
            unless=_safe_keywords(unless_keywords),
            pattern=compiled_pattern,
        )

    def match(
        self, text: PreparedText, *, ticket_type_id: int | None, keyword_hit: str | None | bool = False
    ) -> str | None:
        """Return what matched (a keyword, the regex's text or the type), or None.

        `keyword_hit` is the first matching keyword when a RuleIndex already looked (None: none matched).
        """
        if self.type_names and ticket_type_id not in self.type_names:
            return None
        if self.keywords or self.pattern:
            if keyword_hit is False:
                keyword_hit = next((keyword.text for keyword in self.keywords if keyword.found_in(text)), None)
            matched = keyword_hit
            if matched is None and self.pattern and (found := self.pattern.search(text.original)):
                matched = found.group(0)[:200]
        elif self.type_names:
            matched = f"Type: {self.type_names[ticket_type_id]}"
        else:
            return None  # a rule with nothing to match never claims a request
        if matched is None or any(keyword.found_in(text) for keyword in self.unless):
            return None
        return matched


PREFIX_KEY = 3


class RuleIndex:
    """Every rule's keywords, indexed by their first word, so a request is checked against all rules at once.

    Only keywords whose first word (or first three letters, for `word*`) appear in the request are verified, so the
    cost follows the request's length, not the number of rules.
    """

    def __init__(self, rules: list[CompiledRule]):
        self.words: dict[tuple[bool, str], list] = {}
        self.stems: dict[tuple[bool, str], list] = {}
        self.always: list = []  # `a*`: stems too short to index
        for position, rule in enumerate(rules):
            for order, keyword in enumerate(rule.keywords):
                entry = (position, order, keyword)
                first = keyword.words[0]
                if keyword.prefix and len(keyword.words) == 1:
                    if len(first) < PREFIX_KEY:
                        self.always.append(entry)
                    else:
                        self.stems.setdefault((keyword.exact_case, first[:PREFIX_KEY]), []).append(entry)
                else:
                    self.words.setdefault((keyword.exact_case, first), []).append(entry)
        self.lower_words = {word for exact, word in self.words if not exact}
        self.exact_words = {word for exact, word in self.words if exact}
        self.lower_stems = {stem for exact, stem in self.stems if not exact}
        self.exact_stems = {stem for exact, stem in self.stems if exact}

    def keyword_hits(self, text: PreparedText) -> dict[int, str]:
        """Return, per rule position, the first keyword (in the admin's order) found in the text."""
        candidates = list(self.always)
        for exact, words in ((False, self.lower_words & text.lower_word_set), (True, self.exact_words & text.word_set)):
            for word in words:
                candidates.extend(self.words[(exact, word)])
        if self.lower_stems or self.exact_stems:
            lower_stems = {word[:PREFIX_KEY] for word in text.lower_word_set} & self.lower_stems
            exact_stems = {word[:PREFIX_KEY] for word in text.word_set} & self.exact_stems
            for exact, stems in ((False, lower_stems), (True, exact_stems)):
                for stem in stems:
                    candidates.extend(self.stems[(exact, stem)])
        best: dict[int, tuple[int, str]] = {}
        for position, order, keyword in candidates:
            if (position not in best or order < best[position][0]) and keyword.found_in(text):
                best[position] = (order, keyword.text)
        return {position: found for position, (order, found) in best.items()}


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
