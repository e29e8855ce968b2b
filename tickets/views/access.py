"""Who may open the technicians' pages."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from tickets.selectors import user_is_technician


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
