"""Django's password backend, loading with each request's user whether they are in the Technicians group.

Every technician page asks that question; asked with the user's own query (an Exists annotation), it costs no
query of its own. It is read from the database on every request, never kept, so removing someone from the group
takes effect at once; the group's name is read from settings on each call.
"""

import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet

from helpdesk.technicians import in_technicians_group


class TechnicianAwareBackend(ModelBackend):
    def get_user(self, user_id):
        return user_for_session(user_id)


def user_for_session(user_id):
    """The active user with this id, with `in_technicians_group` set; else None."""
    users = _users_with_group(settings.HELPDESK_TECHNICIANS_GROUP)
    try:
        return users.get(pk=user_id, is_active=True)
    except users.model.DoesNotExist:
        return None


@functools.cache
def _users_with_group(group_name: str) -> QuerySet:
    """Users annotated with whether they are in the group, built once per group name and cloned by each call (as a
    generic view's `queryset` is): resolving the subquery again cost more than the database spent answering it."""
    User = get_user_model()
    return User._default_manager.annotate(in_technicians_group=in_technicians_group())
