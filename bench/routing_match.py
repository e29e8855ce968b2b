"""Benchmark: match 200 rules against a 5 KB description. Prints numbers; not a test.

Run: .venv/bin/python bench/routing_match.py
It builds the compiled rules in memory (no database needed): the same objects the selector caches per process.
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from routing.matching import CompiledRule, PreparedText, RuleIndex  # noqa: E402

RULES = 200
KEYWORDS_PER_RULE = 12
DESCRIPTION_BYTES = 5 * 1024
RUNS = 2000

random.seed(7)
vocabulary = [f"word{n}" for n in range(5000)] + "printer projector board laptop screen network".split()


def keyword_text(rule_number: int) -> str:
    lines = []
    for k in range(KEYWORDS_PER_RULE):
        kind = k % 4
        if kind == 0:
            lines.append(f"term{rule_number}x{k}")
        elif kind == 1:
            lines.append(f"phrase{rule_number} part{k}")
        elif kind == 2:
            lines.append(f"PRE{rule_number}X{k}*")
        else:
            lines.append(f"CAPS{rule_number}K{k}")
    return "\n".join(lines)


rules = [
    CompiledRule.build(
        pk=n,
        type_names={},
        keywords=keyword_text(n),
        unless_keywords="nevermatchthis\nnor this phrase",
        pattern=r"\bticket\s*#\d{7}\b" if n % 20 == 0 else "",
    )
    for n in range(RULES)
]
words = []
while len(" ".join(words)) < DESCRIPTION_BYTES:
    words.append(random.choice(vocabulary))
description = " ".join(words)[:DESCRIPTION_BYTES]
subject = "Printer in room 12 will not print"


def match_all(rules, index, description=description) -> int | None:
    """What routing_rule_for_request does once the rules are cached: prepare the text, index, walk the rules."""
    text = PreparedText(f"{subject}\n{description}")
    hits = index.keyword_hits(text)
    for position, rule in enumerate(rules):
        if rule.match(text, ticket_type_id=None, keyword_hit=hits.get(position)) is not None:
            return rule.pk
    return None  # the worst case: no rule matches, so every rule is checked


def report(label: str, rules, description=description) -> None:
    index = RuleIndex(rules)
    assert match_all(rules, index, description) is None
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        match_all(rules, index, description)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(RUNS * 0.95)]
    print(
        f"{label}: median {statistics.median(timings):.3f} ms, p95 {p95:.3f} ms, max {timings[-1]:.3f} ms "
        f"-> target < 2 ms {'met' if p95 < 2 else 'NOT met'} (p95)"
    )


print(
    f"{RULES} rules, {KEYWORDS_PER_RULE} keywords each, {len(description)}-byte description, no rule matching "
    f"(every rule checked), {RUNS} runs"
)
keyword_rules = [
    CompiledRule.build(pk=n, type_names={}, keywords=keyword_text(n), unless_keywords="", pattern="")
    for n in range(RULES)
]
report("keywords only (like the seeded policy)", keyword_rules)
report(f"keywords + {RULES // 20} regular expressions starting with \\b", rules)

# Worst case for the index: the text holds the first word of every phrase and the stem of every `word*`,
# so every one of those keywords must be verified.
teasing = " ".join(f"phrase{n} PRE{n}Y" for n in range(RULES))
report(
    "keywords, text holding every phrase's first word", keyword_rules, (teasing + " " + description)[:DESCRIPTION_BYTES]
)

# The slow patterns: Python's own engine backtracks for seconds on these; RE2 must stay linear.
for slow_pattern in (r"\w*\w*\w*\w*@", r"\d+\d+\d+\d+x", r"(a|aa)+$"):
    rule = CompiledRule.build(pk=0, type_names={}, keywords="", unless_keywords="", pattern=slow_pattern)
    text = PreparedText(("a" if "a" in slow_pattern or "w" in slow_pattern else "1") * 5_000 + "!")
    timings = []
    for _ in range(50):
        start = time.perf_counter()
        assert rule.match(text, ticket_type_id=None) is None
        timings.append((time.perf_counter() - start) * 1000)
    print(
        f"pattern {slow_pattern} on 5,000 characters: max {max(timings):.3f} ms "
        f"-> target < 50 ms {'met' if max(timings) < 50 else 'NOT met'}"
    )
