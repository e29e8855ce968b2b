"""Django's password backend, loading with each request's user whether they are in the Technicians group.

Every technician page asks that question; asked with the user's own query (an Exists annotation), it costs no
query of its own. It is read from the database on every request, never kept, so removing someone from the group
takes effect at once; the group's name is read from settings on each call.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef


class TechnicianAwareBackend(ModelBackend):
    def get_user(self, user_id):
        return user_for_session(user_id)


def user_for_session(user_id):
    """The active user with this id, with `in_technicians_group` set; else None."""
    User = get_user_model()
    in_group = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name=settings.HELPDESK_TECHNICIANS_GROUP
    )
    users = User._default_manager.annotate(in_technicians_group=Exists(in_group))
    try:
        return users.get(pk=user_id, is_active=True)
    except User.DoesNotExist:
        return None
