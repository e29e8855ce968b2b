"""Django's password backend, loading with each request's user whether they are in the Technicians group.

Every technician page asks that question; asked with the user's own query, it costs no query of its own. It is
read from the database on every request, never kept, so removing someone from the group takes effect at once.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from helpdesk.built_once import BuiltOnce
from helpdesk.technicians import in_technicians_group


class TechnicianAwareBackend(ModelBackend):
    def get_user(self, user_id):
        return user_for_session(user_id)


def user_for_session(user_id):
    """The active user with this id, with `in_technicians_group` set; else None."""
    user = _USER_WITH_GROUP.first(user_id)
    return user if user is not None and user.is_active else None


def _user_with_group(user_id):
    User = get_user_model()
    return User._default_manager.annotate(in_technicians_group=in_technicians_group()).filter(pk=user_id)


_USER_WITH_GROUP = BuiltOnce(_user_with_group)
