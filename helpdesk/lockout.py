"""What django-axes counts: wrong passwords only."""

from django.conf import settings
from django.http import HttpRequest


def lockout_skips(request: HttpRequest, credentials: dict | None = None) -> bool:
    """A sign-in that brings no password (district single sign-on's callback) is neither counted nor refused.

    Such a sign-in cannot guess a password, and one that finds no staff account (every requester) fails by design:
    counting those would lock a whole school's single sign-on after six requesters.
    """
    return not (credentials or {}).get(settings.AXES_PASSWORD_FORM_FIELD)
