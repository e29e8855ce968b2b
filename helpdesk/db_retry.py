"""Run a view once more when PostgreSQL went away under it (a restart, an update, a failover): opt-in, per view.

CONN_HEALTH_CHECKS replaces a connection that died while idle; this covers the request that was using it at that
moment, or that arrived while the server was starting again. Only views that are safe to run twice opt in: pages
that only read (`@retry_on_lost_connection`) and forms that create something by their one-time key
(`submissions.once.submit_once`, which a repeat of the same POST cannot do twice, even when the connection was lost
right after COMMIT). Any other view answers a lost connection with a server error instead of guessing.

A decorator, not a middleware: it wraps the view itself, so the rerun gets the request every middleware (session,
user, CSRF, messages) has already prepared, and its answer goes back out through all of them once.
"""

import logging
import time
from functools import wraps

from django.db import DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)
WAIT_SECONDS = 2.0  # a restart takes well under a second; longer would only hold a web worker


def retry_on_lost_connection(view):
    """Run the view once more after a lost database connection, when the server answers again within 2 s."""

    @wraps(view)
    def retried(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError):
            if any(connection.in_atomic_block for connection in connections.all(initialized_only=True)):
                raise  # inside a caller's transaction: retrying only part of it would be wrong
            logger.warning("Database connection lost during %s %s; trying once more", request.method, request.path)
            if not database_answers(timeout=WAIT_SECONDS):
                raise
        for _, uploads in request.FILES.lists():
            for upload in uploads:
                upload.seek(0)
        return view(request, *args, **kwargs)

    return retried


def database_answers(*, timeout: float) -> bool:
    """Drop the broken connections and wait until the server accepts a new one."""
    deadline = time.monotonic() + timeout
    while True:
        for connection in connections.all(initialized_only=True):
            connection.close()
        try:
            connections["default"].ensure_connection()
            return True
        except DatabaseError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.25)
