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
    assert pattern_problem(r"(cart|trolley) #\d+") is None


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        (r"(cart) \1", "uses a backreference"),
        (r"(?P<kind>cart) (?P=kind)", "uses a backreference"),
        (r"cart(?! charger)", "uses a look-ahead or look-behind"),
        (r"(?<=Chrome)book", "uses a look-ahead or look-behind"),
        (r"carts?\Z", "instead of \\Z"),
    ],
)
def test_patterns_re2_cannot_run_are_refused_with_what_to_write_instead(pattern, problem):
    assert problem in pattern_problem(pattern)


@pytest.mark.parametrize("pattern", [r"(\w+\s?)+!$", r"(a|aa)+$", r"(.|\s)*zz!", r"\w*\w*\w*\w*@", r"\d+\d+\d+\d+x"])
def test_patterns_that_backtrack_in_python_are_accepted_because_re2_runs_them_in_linear_time(pattern):
    assert pattern_problem(pattern) is None


def test_rule_patterns_run_on_re2_and_match_at_the_end_of_a_long_request():
    """The issue's slow pattern: Python's engine takes seconds on 5,000 characters; RE2 gives the same answers."""
    rule = CompiledRule.build(pk=1, type_names={}, keywords="", unless_keywords="", pattern=r"\w*\w*\w*\w*@")
    assert type(rule.pattern).__module__ == "re2"
    assert rule.match(PreparedText("a" * 5_000), ticket_type_id=None) is None
    assert rule.match(PreparedText("x" * 5_000 + " pat@school"), ticket_type_id=None) == "pat@"


def test_pattern_ignores_case_and_is_searched_in_the_whole_request():
    rule = CompiledRule.build(pk=1, type_names={}, keywords="", unless_keywords="", pattern=r"ticket #\d+")
    assert rule.match(PreparedText("See TICKET #42. " + "x" * 6_000), ticket_type_id=None) == "TICKET #42"
    assert rule.match(PreparedText("x" * 6_000 + " ticket #42"), ticket_type_id=None) == "ticket #42"


def test_pattern_saved_without_admin_that_re2_refuses_is_never_run():
    rule = CompiledRule.build(pk=1, type_names={}, keywords="", unless_keywords="", pattern=r"(a)\1")
    assert rule.pattern is None
    assert rule.match(PreparedText("aa"), ticket_type_id=None) is None


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
