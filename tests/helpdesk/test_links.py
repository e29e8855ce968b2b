"""helpdesk.links gives the string reverse() gives, for every URL of the site it can write, under any site prefix."""

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse, set_script_prefix
from django.urls.converters import IntConverter

from helpdesk.links import link


def _named_patterns(resolver=None, namespace="", outer=()):
    """(full name, every pattern from the root to it) for every named URL of the site."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner, (*outer, entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", (*outer, entry.pattern)


def _kind(patterns) -> str:
    converters = [c for pattern in patterns for c in getattr(pattern, "converters", {}).values()]
    if any("(" in str(pattern) for pattern in patterns):
        return "other"  # a regular expression's groups: not what link() is for
    if not converters:
        return "plain"
    return "numbered" if len(converters) == 1 and isinstance(converters[0], IntConverter) else "other"


def _names(kind: str) -> list[str]:
    """The URL names all of whose patterns are of that kind (admin reuses a name for patterns of two kinds)."""
    kinds: dict[str, set[str]] = {}
    for name, patterns in _named_patterns():
        kinds.setdefault(name, set()).add(_kind(patterns))
    return sorted(name for name, found in kinds.items() if found == {kind})


NUMBERED = _names("numbered")
PLAIN = _names("plain")


def test_the_ticket_pages_links_are_among_those_compared():
    assert {"tickets:detail", "tickets:compose", "tickets:ticket_device", "outages:for_ticket"} <= set(NUMBERED)
    assert {"tickets:queue", "alerts:my_notifications", "inbound:held_email_list"} <= set(PLAIN)


@pytest.mark.parametrize("name", NUMBERED)
@pytest.mark.parametrize("number", [1, 7, 1008, 918273645])
def test_a_numbered_link_is_what_reverse_gives(name, number):
    assert link(name, number) == reverse(name, args=[number])


@pytest.mark.parametrize("name", PLAIN)
def test_a_link_without_a_number_is_what_reverse_gives(name):
    assert link(name) == reverse(name)


def test_links_follow_the_site_prefix():
    """A site served under a path (https://host/helpdesk/) gets its own links, not those of a site at the root."""
    at_root = link("tickets:compose", 5)
    try:
        set_script_prefix("/helpdesk/")
        assert link("tickets:compose", 5) == reverse("tickets:compose", args=[5]) == "/helpdesk" + at_root
        assert link("tickets:queue") == reverse("tickets:queue")
    finally:
        set_script_prefix("/")
    assert link("tickets:compose", 5) == at_root


def test_a_url_whose_argument_is_not_a_number_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        link("tickets:my_ticket", 5)  # its argument is a UUID
