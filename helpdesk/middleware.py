"""Site-wide response rules: oversized bodies refused unread, and no browser cache for private pages."""

from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

from helpdesk.requester_session import REQUESTER_SESSION_KEYS


def request_max_bytes() -> int:
    """Return the largest body any form accepts: every attachment at its limit plus room for the text fields."""
    return settings.HELPDESK_ATTACHMENTS_TOTAL_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimitMiddleware:
    """Answer 413 from the declared Content-Length, before anything reads the body.

    Django would otherwise spool a 40 MB upload to disk before the form could say that 25 MB is the limit.
    A body sent without Content-Length is read as empty by Django's WSGI handler, so it cannot slip past.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = request_max_bytes()
        if declared > limit:
            context = {
                "total_mb": settings.HELPDESK_ATTACHMENTS_TOTAL_MAX_BYTES // (1024 * 1024),
                "each_mb": settings.HELPDESK_ATTACHMENT_MAX_BYTES // (1024 * 1024),
                "max_files": settings.HELPDESK_ATTACHMENT_MAX_FILES,
            }
            # The unread body is the server's to discard (runserver and gunicorn do) before any next request.
            return render(request, "413.html", context, status=413)
        return self.get_response(request)


class PrivatePagesNoStoreMiddleware:
    """Send `Cache-Control: no-store` on every page except the public ones listed in HELPDESK_CACHEABLE_PAGES.

    A shared library computer's browser must not keep tickets, people or files; new pages are private by default.
    A public page is private too when someone is signed in: a technician, or a requester (My tickets link, district
    sign-on, a receipt's ticket link), whose address the form fills in and whose Sign out the header shows.
    Static files never get here (WhiteNoise answers them earlier).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not self._is_public(request):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _is_public(request) -> bool:
        if request.method not in ("GET", "HEAD") or request.GET:
            return False  # answers to forms, and pages filled from a query (a request form carried over), are private
        match = request.resolver_match
        if match is None:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return False
        if match.view_name not in settings.HELPDESK_CACHEABLE_PAGES:
            return False  # decided without the session, so /readyz answers even while the database is down
        user = getattr(request, "user", None)
        # Technicians see names and tickets in the header and beside any page.
        if user is not None and user.is_authenticated:
            return False
        # Without a session cookie this reads nothing; with one, the user check above has already loaded it.
        session = getattr(request, "session", None)
        return session is None or not any(key in session for key in REQUESTER_SESSION_KEYS)
