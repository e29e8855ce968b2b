"""`@submit_once`: a view whose POST creates something does it once per one-time key.

The form carries a random key (`{% submission_key %}`). The view runs in one transaction that first claims the key
(a primary-key insert) and, if the answer is a redirect, records where it went. A repeat of the same POST (a double
click, the browser's resubmit, the retry after a lost connection) finds the claim and gets the same redirect, and
nothing is created or sent again. Because the claim commits with the work, a connection lost right after COMMIT
leaves both or neither. An answer that is not a redirect (form errors, the possible-duplicates step, a routing
question) gives the key back, so the person can correct the form and send it.

The stored key is a hash of the posted key and of what was posted: after Back, a changed form sent with the page's
old key is a new submission, not a repeat. A POST without a key (a script, a page from before an update) gets one
for that request only, so its retry is still safe; only the browser's key catches a double click.
"""

import hashlib
import uuid
from datetime import timedelta
from functools import wraps

from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone

from helpdesk.db_retry import retry_on_lost_connection
from submissions.models import Submission
from submissions.selectors import submission_for_key
from submissions.services import submission_claim, submission_record, submission_release

KEY_FIELD = "submission_key"
NOT_CONTENT = {"csrfmiddlewaretoken", KEY_FIELD}  # the CSRF token is masked anew on every page
SESSION_HANDOVER = timedelta(minutes=10)  # a double click or a resubmit, not a page kept open for days


def _stored_key(request) -> str:
    if not hasattr(request, "_submission_key"):
        posted = request.POST.get(KEY_FIELD, "")[:100]
        request._submission_key = posted or f"request-{uuid.uuid4().hex}"
    digest = hashlib.sha256(request._submission_key.encode())
    for name, values in sorted(request.POST.lists()):
        if name not in NOT_CONTENT:
            digest.update(repr((name, values)).encode())
    for name, files in sorted(request.FILES.lists()):
        digest.update(repr((name, [(file.name, file.size) for file in files])).encode())
    return digest.hexdigest()


def submit_once(view):
    """Run a POST once per key and content (a repeat redirects to the first answer); retry a lost connection."""

    @wraps(view)
    def once(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        key = _stored_key(request)
        # Only a session this POST started may be handed to a repeat: never a person's existing sign-in.
        arrived_with_session = bool(getattr(getattr(request, "session", None), "session_key", None))
        with transaction.atomic():
            if not submission_claim(key=key):
                first = submission_for_key(key=key)
                _first_answers_session(request, first)
                return redirect(first.result_url)
            response = view(request, *args, **kwargs)
            if response.status_code in (301, 302, 303) and response.has_header("Location"):
                session_key = _saved_session_key(request)  # saved in this transaction either way
                session_key = "" if arrived_with_session else session_key
                submission_record(key=key, result_url=response["Location"], session_key=session_key)
            else:
                submission_release(key=key)
        return response

    return retry_on_lost_connection(once)


def _saved_session_key(request) -> str:
    """Save what the view remembered in the session in this transaction, so a repeat's answer can read it."""
    session = getattr(request, "session", None)
    if session is None:
        return ""
    if session.modified:
        session.save()
    return session.session_key or ""


def _first_answers_session(request, first: Submission) -> None:
    """Let a double click's second answer open the page the first one remembered in the session.

    The first POST of a browser without a session starts one; the browser then drops that answer for the second
    click's, which came without the cookie. Only a request with no session at all, soon after, gets that session.
    """
    session = getattr(request, "session", None)
    if session is None or session.session_key or not first.session_key:
        return
    if timezone.now() - first.created_at > SESSION_HANDOVER:
        return
    request.session = session.__class__(session_key=first.session_key)
    request.session.modified = True  # so the session middleware sends its cookie with this answer
