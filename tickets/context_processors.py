from tickets.views.access import requester_verification


def requester_signed_in(request):
    """Whether the header offers a requester Sign out; the session is read only when a page asks."""
    # Pages answered before the session middleware (the 413 page) have no session, and nobody signed in.
    return {"requester_signed_in": lambda: hasattr(request, "session") and requester_verification(request).is_signed_in}
