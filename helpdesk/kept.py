"""Small, rarely changed tables kept in the shared cache, and forgotten whenever one of their rows changes.

A cache that does not answer counts as a miss: the page reads the database, as it would without a cache. Values
are forgotten at once and again when the change commits, because a page that read the old rows meanwhile may have
kept them. With CACHE_URL (Redis, as production must have) every process sees a change at once; with a
developer's per-process memory cache, other processes see it once the kept value expires.

Keys are made by Django's cache, so each starts with this site's KEY_PREFIX (settings.CACHE_KEY_PREFIX): two sites
sharing one Redis never answer for each other, even when their databases have the same host, port and name.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")

_keys_used: set[str] = set()


# After the cache fails to answer, pages read the database for a while instead of waiting on it again: a Redis that
# hangs (rather than refusing) would otherwise cost its timeout several times on every page.
CACHE_RESTING_SECONDS = 30
_cache_failed_at = 0.0


def _cache_resting() -> bool:
    return time.monotonic() - _cache_failed_at < CACHE_RESTING_SECONDS


def _cache_failed(doing: str, key: str) -> None:
    global _cache_failed_at
    _cache_failed_at = time.monotonic()
    logger.warning("The cache did not answer; %s %s from the database for %s s.", doing, key, CACHE_RESTING_SECONDS)


def kept(key: str, build: Callable[[], T], *, seconds: int) -> T:
    """The value kept under `key`, else `build()` (then kept for `seconds`)."""
    _keys_used.add(key)
    if _cache_resting():
        return build()
    try:
        value = cache.get(key)
    except Exception:
        _cache_failed("reading", key)
        return build()
    if value is not None:
        return value
    value = build()
    try:
        cache.set(key, value, seconds)
    except Exception:
        _cache_failed("reading", key)
    return value


def forget(key: str) -> None:
    """Forget `key` now and once the current transaction commits."""
    _delete(key)
    transaction.on_commit(lambda: _delete(key))


def _delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.warning("The cache did not answer; %s may be up to a minute old.", key, exc_info=True)


def forget_all() -> None:
    """Forget every value this process has kept, and any cache failure (the tests call it before each test)."""
    global _cache_failed_at
    _cache_failed_at = 0.0
    for key in list(_keys_used):
        _delete(key)
