"""Querysets whose SQL the ORM builds once per process, for the few queries every technician page runs.

Building a query's SQL (joins, annotations, compiling every expression) cost the ticket page more time than
PostgreSQL spent running it. A `BuiltOnce` builds the queryset once, with a placeholder for its one changing
value, keeps the SQL, and on each call runs it through `Model.objects.raw` with the value filled in. The value
must be the query's last parameter (a filter on it, with no LIMIT parameter after): that is checked when the SQL is
built, so a change that moved it fails at once instead of reading the wrong row.
"""

from collections.abc import Callable
from functools import cache

from django.db import connection
from django.db.models import BooleanField, Model, QuerySet

PLACEHOLDER = 2_147_000_123  # no row has it (an id or number this large); only its position in the SQL matters
MIN_VALUE, MAX_VALUE = -(2**63), 2**63 - 1  # what a database integer holds


class BuiltOnce:
    def __init__(self, build: Callable[[int], QuerySet]):
        self._build = build
        self._sql = cache(self._sql_for)

    def _sql_for(self, vendor: str) -> tuple[type[Model], str, tuple, tuple[str, ...]]:
        queryset = self._build(PLACEHOLDER)
        sql, params = queryset.query.sql_with_params()
        if not params or params[-1] != PLACEHOLDER or PLACEHOLDER in params[:-1]:
            raise RuntimeError(f"The value is not the last parameter of {sql!r}: it cannot be built once.")
        # raw() converts model fields only: yes/no annotations come back as 0/1 on SQLite, so they are made bools.
        flags = tuple(
            name
            for name, annotation in queryset.query.annotations.items()
            if isinstance(annotation.output_field, BooleanField)
        )
        return queryset.model, sql, params[:-1], flags

    def all(self, value: int) -> list:
        if not MIN_VALUE <= value <= MAX_VALUE:
            return []  # no such id or number (SQLite would raise OverflowError on a value this large)
        model, sql, params, flags = self._sql(connection.vendor)
        rows = list(model.objects.raw(sql, (*params, value)))
        for row in rows:
            for name in flags:
                setattr(row, name, bool(getattr(row, name)))
        return rows

    def first(self, value: int):
        rows = self.all(value)
        return rows[0] if rows else None
