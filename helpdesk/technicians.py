"""Who counts as a technician, the one place that says so: an active superuser, or an active member of the group
named by HELPDESK_TECHNICIANS_GROUP ("Technicians"). Every app asks here, so the rule cannot drift.

It is asked of the database on every request, never kept, so removing someone from the group takes effect at once.
(The staff directory's "Technician" role, routing.roles.Role.TECHNICIAN, only says what a directory entry is;
it never lets anyone in.)
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q


def technicians_group_name() -> str:
    return settings.HELPDESK_TECHNICIANS_GROUP


def technicians_group() -> Group:
    """The Technicians group, made if it is missing (demo data, benchmarks and tests add people to it)."""
    return Group.objects.get_or_create(name=technicians_group_name())[0]


def technician_filter() -> Q:
    """Users who are technicians, for `User.objects.filter(...)` (add `.distinct()`: a user has many groups)."""
    return Q(is_active=True) & (Q(is_superuser=True) | Q(groups__name=technicians_group_name()))


def in_technicians_group() -> Exists:
    """Whether a user is in the Technicians group, as an annotation on users, so loading a user answers it too."""
    memberships = get_user_model().groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name=technicians_group_name()
    )
    return Exists(memberships)


def user_is_technician(user) -> bool:
    """Whether this user may open the technicians' pages."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    in_group = getattr(user, "in_technicians_group", None)  # annotated when the request's user is loaded
    if in_group is None:
        in_group = user.groups.filter(name=technicians_group_name()).exists()
    return in_group


def technician_required(view):
    """Let in technicians and superusers; send anonymous users to log in; refuse everyone else."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_is_technician(request.user):
            raise PermissionDenied("Only technicians can open the help desk workspace.")
        return view(request, *args, **kwargs)

    return wrapped
