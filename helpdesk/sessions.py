"""Database sessions that survive a PostgreSQL restart at the moment a response saves the session."""

from django.contrib.sessions.backends import db
from django.db import InterfaceError, OperationalError

from helpdesk.db_retry import WAIT_SECONDS, database_answers


class SessionStore(db.SessionStore):
    def save(self, must_create=False):
        # Saved after the view has done its work (a ticket may already be stored): a lost connection here must
        # not turn that success into a server error.
        try:
            return super().save(must_create=must_create)
        except (OperationalError, InterfaceError):
            if not database_answers(timeout=WAIT_SECONDS):
                raise
            return super().save(must_create=must_create)
