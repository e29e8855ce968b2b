"""Run a view once more when PostgreSQL went away under it (a restart, an update, a failover).

CONN_HEALTH_CHECKS replaces a connection that died while idle; this covers the request that was using it at that
moment, or that arrived while the server was starting again. Without it that person gets a server error and loses
what they typed. The retry is safe for the ticket form: a ticket that did commit just before the drop is found by
the duplicate check, which asks the person instead of saving a second one.
"""

import logging
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)
WAIT_SECONDS = 10.0


class DatabaseRetryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError) or getattr(request, "_database_retried", False):
            return None
        if any(connection.in_atomic_block for connection in connections.all(initialized_only=True)):
            return None  # inside a caller's transaction: retrying only part of it would be wrong
        request._database_retried = True
        logger.warning("Database connection lost during %s %s; trying once more", request.method, request.path)
        if not database_answers(timeout=WAIT_SECONDS):
            return None
        for upload in request.FILES.values():
            upload.seek(0)
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response


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
