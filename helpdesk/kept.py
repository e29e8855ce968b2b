"""Small, rarely changed tables kept in the shared cache: the one way this project keeps a table.

    @kept_table("tickets:schools:v1", seconds=60, forgotten_by=(School,))
    def schools_kept() -> Listed:
        ...  # read the rows once; the value is kept under the key for `seconds`

One reader per table (as Zulip's `@cache_with_key` readers with their `flush_*` receivers, or django.contrib.sites'
SITE_CACHE with `clear_site_cache`): the decorator names the key, the lifetime and the models whose saves and deletes
forget the kept value (for an automatic many-to-many `through` model, its m2m_changed), so whoever changes a row
(admin, shell, a test) cannot forget to forget it. A queryset `update()` sends no signal: the value then lasts at
most `seconds`. Change a reader's value's shape: change its key's version (":v2").

Values are forgotten at once and again when the change commits, because a page that read the old rows meanwhile
may have kept them. With CACHE_URL (Redis, as production must have) every process sees a change at once; with a
developer's per-process memory cache, other processes see it once the kept value expires. A cache that does not
answer counts as a miss: the page reads the database, as it would without a cache.

Within one request a table is read from the cache once: the ticket page asked for the technicians six times, each a
Redis round trip. The request's copy is dropped when the request ends, and at once when the request itself forgets
the key. Outside a request (Celery tasks, the shell) every read asks the cache.

Keys are made by Django's cache, so each starts with this site's KEY_PREFIX (settings.CACHE_KEY_PREFIX): two sites
sharing one Redis never answer for each other, even when their databases have the same host, port and name.
"""

import functools
import logging
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

T = TypeVar("T")

_keys_used: set[str] = set()


# After the cache fails to answer, pages read the database for a while instead of waiting on it again: a Redis that
# hangs (rather than refusing) would otherwise cost its timeout several times on every page.
CACHE_RESTING_SECONDS = 30
_cache_failed_at = 0.0


# The values read during the current request, by key; None outside a request.
_read_this_request: ContextVar[dict | None] = ContextVar("kept_read_this_request", default=None)


def _request_began(**kwargs) -> None:
    _read_this_request.set({})


def _request_ended(**kwargs) -> None:
    _read_this_request.set(None)


request_started.connect(_request_began, dispatch_uid="kept-table:request-began")
request_finished.connect(_request_ended, dispatch_uid="kept-table:request-ended")


def _cache_resting() -> bool:
    return time.monotonic() - _cache_failed_at < CACHE_RESTING_SECONDS


def _cache_failed(doing: str, key: str) -> None:
    global _cache_failed_at
    _cache_failed_at = time.monotonic()
    logger.warning("The cache did not answer; %s %s from the database for %s s.", doing, key, CACHE_RESTING_SECONDS)


def kept_table(
    key: str,
    *,
    seconds: int,
    forgotten_by: Iterable[type[models.Model]],
    unless_only: frozenset[str] = frozenset(),
) -> Callable[[Callable[[], T]], Callable[[], T]]:
    """Keep what the decorated reader returns under `key` for `seconds`; any change to `forgotten_by` forgets it.

    unless_only: a save of only these fields (update_fields) changes nothing the reader reads, e.g. last_login.
    The reader gets `.forget()` (for a change no signal announces) and `.key`.
    """

    def decorator(build: Callable[[], T]) -> Callable[[], T]:
        @functools.wraps(build)
        def reader() -> T:
            return _kept(key, build, seconds=seconds)

        def receiver(**kwargs) -> None:
            if unless_only and kwargs.get("update_fields") and kwargs["update_fields"] <= unless_only:
                return
            if kwargs.get("action", "").startswith("pre_"):
                return  # m2m_changed: forgotten once the rows have changed (post_add, post_remove, post_clear)
            _forget(key)

        for model in forgotten_by:
            uid = f"kept-table:{key}:{model._meta.label}"
            if model._meta.auto_created:  # a many-to-many table: rows are added and removed through the relation
                m2m_changed.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:m2m")
            else:
                post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:save")
                post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
        reader.forget = lambda: _forget(key)  # type: ignore[attr-defined]
        reader.key = key  # type: ignore[attr-defined]
        return reader

    return decorator


def _kept(key: str, build: Callable[[], T], *, seconds: int) -> T:
    read = _read_this_request.get()
    if read is not None and key in read:
        return read[key]
    value = _from_cache(key, build, seconds=seconds)
    if read is not None:
        read[key] = value
    return value


def _from_cache(key: str, build: Callable[[], T], *, seconds: int) -> T:
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


def _forget(key: str) -> None:
    """Forget `key` now (the current request's copy too) and once the current transaction commits."""
    _delete(key)
    transaction.on_commit(lambda: _delete(key))


def _forget_this_request(key: str) -> None:
    read = _read_this_request.get()
    if read is not None:
        read.pop(key, None)


def _delete(key: str) -> None:
    _forget_this_request(key)
    try:
        cache.delete(key)
    except Exception:
        logger.warning("The cache did not answer; %s may be up to a minute old.", key, exc_info=True)


def forget_all() -> None:
    """Forget every value this process has kept, and any cache failure (the tests call it before each test)."""
    global _cache_failed_at
    _cache_failed_at = 0.0
    _read_this_request.set(None)
    for key in list(_keys_used):
        _delete(key)
