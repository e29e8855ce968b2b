"""The matcher without the database: whole words, capitals, endings, and the index agreeing with a plain scan."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.matching import CompiledRule, PreparedText, RuleIndex, keyword_lines, pattern_problem


def hit(keywords: str, text: str) -> str | None:
    rule = CompiledRule.build(pk=1, type_names={}, keywords=keywords, unless_keywords="", pattern="")
    return rule.match(PreparedText(text), ticket_type_id=None)


@pytest.mark.parametrize(
    ("keywords", "text", "expected"),
    [
        ("SAM", "My SAM password", "SAM"),
        ("SAM", "same thing again", None),
        ("SAM", "Samsung tablet", None),
        ("SAM", "Sam Jones cannot log in", None),
        ("SAM", "MY SAM PASSWORD", "SAM"),
        ("sam password", "Sam password expired", "sam password"),
        ("leak*", "It is leaking", "leak*"),
        ("leak*", "bleak weather", None),
        ("ink cartridge*", "New ink cartridges please", "ink cartridge*"),
        ("ink cartridge*", "ink for the cartridge", None),
        ("air conditioning", "the air\nconditioning is off", "air conditioning"),
        ("A/C", "The A/C is loud", "A/C"),
        ("wi-fi", "wifi is slow", None),
        ("Café", "the CAFÉ printer", "Café"),
    ],
)
def test_whole_word_matching(keywords, text, expected):
    assert hit(keywords, text) == expected


def test_keyword_without_letters_is_refused():
    with pytest.raises(ValueError, match="has no letters or numbers"):
        keyword_lines("ok\n***\n")


def test_pattern_problems():
    assert pattern_problem(r"ticket\s*#\d+") is None
    assert "does not work" in pattern_problem("(")
    assert "almost any text" in pattern_problem("x*")
    assert "repeats a group that already repeats" in pattern_problem(r"(\w+\s?)+$")
    assert "repeats a group that already repeats" in pattern_problem(r"(a|aa)*b(x+){2,}")
    assert pattern_problem(r"(cart|trolley) #\d+") is None


@pytest.mark.parametrize("pattern", [r"(.|\s)*zz!", r"(a|aa)+$", r"(\w|\d)+!", r"(?:x|(y))*", r"((a|b)c){2,}"])
def test_repeated_group_with_a_choice_is_refused(pattern):
    """These take seconds on about 30 characters, and the live check runs them on public input."""
    assert "repeats a group with a choice" in pattern_problem(pattern)


@pytest.mark.parametrize(
    "pattern", [r"[a|b]+ room", r"(cart|trolley)? #\d+", r"\(a|b\)+ wifi", r"(?:cart|trolley) \d+"]
)
def test_choices_that_do_not_repeat_are_accepted(pattern):
    assert pattern_problem(pattern) is None


def test_slow_pattern_saved_without_admin_is_never_run():
    rule = CompiledRule.build(pk=1, type_names={}, keywords="", unless_keywords="", pattern=r"(a|aa)+$")
    assert rule.pattern is None
    assert rule.match(PreparedText("a" * 40 + "b"), ticket_type_id=None) is None


def test_pattern_is_searched_only_in_the_start_of_a_long_request():
    """A backstop against slow patterns: the regular expression never sees more than the first 5,000 characters."""
    rule = CompiledRule.build(pk=1, type_names={}, keywords="", unless_keywords="", pattern=r"ticket #\d+")
    assert rule.match(PreparedText("See ticket #42. " + "x" * 6_000), ticket_type_id=None) == "ticket #42"
    assert rule.match(PreparedText("x" * 5_000 + " ticket #42"), ticket_type_id=None) is None


words = st.sampled_from(["sam", "SAM", "ink", "leak", "leaking", "door", "printer", "Spectra", "7", "wifi", "air"])
keyword = st.builds(
    lambda parts, star: " ".join(parts) + ("*" if star else ""), st.lists(words, min_size=1, max_size=3), st.booleans()
)


@settings(max_examples=200, deadline=None)
@given(
    rules=st.lists(st.lists(keyword, min_size=1, max_size=5), min_size=1, max_size=8),
    text=st.lists(words, max_size=30).map(" ".join),
)
def test_index_finds_exactly_what_a_plain_scan_finds(rules, text):
    compiled = [
        CompiledRule.build(pk=n, type_names={}, keywords="\n".join(lines), unless_keywords="", pattern="")
        for n, lines in enumerate(rules)
    ]
    prepared = PreparedText(text)
    plain = {
        position: found
        for position, rule in enumerate(compiled)
        if (found := rule.match(prepared, ticket_type_id=None)) is not None
    }
    assert RuleIndex(compiled).keyword_hits(prepared) == plain
