"""Database sessions that survive a PostgreSQL restart at the moment a response saves the session.

A session that ends when the browser closes (a requester who did not tick "Keep me signed in on this device") also
ends on the server BROWSER_SESSION_MAX_AGE after it last changed: a browser that restores its tabs on restart, as
Chrome can, keeps session cookies, and a shared classroom computer must not stay signed in for days.
"""

from datetime import timedelta

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import InterfaceError, OperationalError, connection

from helpdesk.db_retry import WAIT_SECONDS, database_answers

BROWSER_SESSION_MAX_AGE = timedelta(hours=12)  # longer than a school day, shorter than the next one


class SessionStore(db.SessionStore):
    def get_session_cookie_age(self):
        # set_expiry(0) stores 0: the cookie ends with the browser, and the row ends after BROWSER_SESSION_MAX_AGE.
        if self.get("_session_expiry") == 0:
            return int(BROWSER_SESSION_MAX_AGE.total_seconds())
        return super().get_session_cookie_age()

    def save(self, must_create=False):
        # Saved after the view has done its work (a ticket may already be stored): a lost connection here must
        # not turn that success into a server error.
        try:
            return super().save(must_create=must_create)
        except UpdateError as error:
            # Django reports a failed update of an existing session as UpdateError, whatever the cause: only a lost
            # connection is retried; a session deleted meanwhile (a sign-out in another tab) is Django's to answer.
            if not isinstance(error.__context__, (OperationalError, InterfaceError)):
                raise
            if connection.in_atomic_block or not database_answers(timeout=WAIT_SECONDS):
                raise
            return super().save(must_create=must_create)
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block:
                raise  # saved inside a view's transaction (submit_once): the view is retried as a whole
            if not database_answers(timeout=WAIT_SECONDS):
                raise
            return super().save(must_create=must_create)
