"""Links reversed once per process and site prefix, not on every page: `link("tickets:compose", ticket.number)`.

The ticket page links its own ticket a dozen times (reply, take, update, close, merge, device, article draft), and
reversing each took longer than rendering the form around it. A URL name with one whole-number argument is reversed
once with a stand-in number, and each call writes its own number in the stand-in's place; the answer is the same
string `reverse(name, args=[number])` gives (tests/helpdesk/test_links.py compares them for every such URL name).
"""

from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, reverse

_STAND_IN = 918_273_645_546_372_819  # no real ticket, device or loan number; appears once in the reversed URL


@lru_cache(maxsize=256)
def _reversed(name: str, numbered: bool, script_prefix: str) -> tuple[str, str]:
    """The URL before and after its number (the whole URL and "" when it takes none)."""
    if not numbered:
        return reverse(name), ""
    url = reverse(name, args=[_STAND_IN])
    before, found, after = url.partition(str(_STAND_IN))
    if not found or str(_STAND_IN) in after:
        raise ImproperlyConfigured(f"{name} does not take one whole number where link() can write it")
    return before, after


def link(name: str, number: int | None = None) -> str:
    """reverse(name) or reverse(name, args=[number]) for a URL whose only argument is an <int:...>."""
    before, after = _reversed(name, number is not None, get_script_prefix())
    return before if number is None else f"{before}{int(number)}{after}"
