"""Sign in with your district account: mozilla-django-oidc's views with the help desk's pages around them."""

import logging

import jwt
import requests
from django.contrib import auth
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from helpdesk.requester_session import DISTRICT_ACCOUNT_SESSION_KEY
from helpdesk.requester_session import SESSION_KEY as REQUESTER_SESSION_KEY
from sso.backends import DistrictSignInAttempt, oidc_setting
from sso.claims import SignInRefused
from sso.selectors import ProviderUnavailable, sso_is_configured
from tickets.requester_access import requester_session_expiry

logger = logging.getLogger(__name__)
# What can go wrong between us and the provider; each ends on a polite page, never a server error.
PROVIDER_ERRORS = (ProviderUnavailable, SuspiciousOperation, requests.RequestException, jwt.PyJWTError)
# Where a requester may be sent back to; anywhere else (the technician login's /queue/) means My tickets.
REQUESTER_PAGES = ("tickets:submit", "tickets:my_tickets")
# The "Keep me signed in on this device" box beside the button, kept from the start of sign-in to the callback.
KEEP_SIGNED_IN_SESSION_KEY = "sso_keep_signed_in"


def _sign_in_failed(request: HttpRequest, *, cancelled: bool = False) -> HttpResponse:
    return render(request, "sso/sign_in_failed.html", {"cancelled": cancelled}, status=200 if cancelled else 400)


class DistrictSignInView(OIDCAuthenticationRequestView):
    """Send the browser to the provider; the library keeps state, nonce and PKCE verifier in the session."""

    get_settings = staticmethod(oidc_setting)

    def dispatch(self, request, *args, **kwargs):
        if not sso_is_configured():
            raise Http404("District single sign-on is not set up")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = oidc_setting("OIDC_RP_CLIENT_ID")
        except ProviderUnavailable:
            logger.warning("District sign-in: the provider's discovery document is unavailable", exc_info=True)
            return _sign_in_failed(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        request.session[KEEP_SIGNED_IN_SESSION_KEY] = request.GET.get("keep_signed_in") == "yes"
        return super().get(request)

    def __init__(self, **kwargs):
        # The endpoints are read in dispatch(), after checking that single sign-on is set up at all.
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)


class DistrictCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here: sign in a technician, a requester, or explain the refusal."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not sso_is_configured():
            raise Http404("District single sign-on is not set up")
        try:
            return self._finish_sign_in(request)
        except PROVIDER_ERRORS:
            logger.warning("District sign-in failed between the help desk and the provider", exc_info=True)
        except Exception:
            # Whatever a provider sends (a token answer that is not an object, a claim of the wrong type), the
            # person gets the polite page and the log keeps the details.
            logger.exception("District sign-in failed on an answer the help desk did not expect")
        return _sign_in_failed(request)

    def _finish_sign_in(self, request: HttpRequest) -> HttpResponse:
        """The library's callback, stricter: the state must be this session's, with its nonce and PKCE verifier."""
        attempt = self._take_sign_in_attempt(request, state=request.GET.get("state", ""))
        if request.GET.get("error") or "code" not in request.GET:
            if request.user.is_authenticated:
                auth.logout(request)
            return self.login_failure()
        if attempt is None:
            logger.warning("District sign-in: the callback's state is not one this browser's session started")
            return _sign_in_failed(request)
        self.user = auth.authenticate(request=request, district_sign_in=attempt)
        if self.user and self.user.is_active:
            return self.login_success()
        return self.login_failure()

    @staticmethod
    def _take_sign_in_attempt(request: HttpRequest, *, state: str) -> DistrictSignInAttempt | None:
        """Remove the state from the session (a code is tried once) and return what was kept with it."""
        states = request.session.get("oidc_states")
        if not state or not isinstance(states, dict) or state not in states:
            return None
        kept = states.pop(state)
        request.session["oidc_states"] = states
        request.session.save()
        # Read the session again: the code exchange is slow, and another tab may change the session meanwhile.
        request.session = request.session.__class__(request.session.session_key)
        if not isinstance(kept, dict):
            return None
        return DistrictSignInAttempt(nonce=kept.get("nonce") or "", code_verifier=kept.get("code_verifier") or "")

    def login_success(self):
        response = super().login_success()
        self._remember_verified_email()
        return response

    def login_failure(self):
        refused: SignInRefused | None = getattr(self.request, "sso_refused", None)
        if refused is not None:
            context = {"refusal": refused.refusal, "email": refused.email}
            return render(self.request, "sso/sign_in_refused.html", context, status=403)
        if getattr(self.request, "sso_verified_email", ""):
            self.request.session.cycle_key()  # a new session id at sign-in, as Django's login() does
            self._remember_verified_email()
            # A requester on what may be a shared classroom computer: signed out when the browser closes, unless
            # they ticked "Keep me signed in on this device" before leaving for the provider.
            keep_signed_in = bool(self.request.session.pop(KEEP_SIGNED_IN_SESSION_KEY, False))
            self.request.session.set_expiry(requester_session_expiry(keep_signed_in=keep_signed_in))
            return HttpResponseRedirect(self._requester_next_url())
        cancelled = bool(self.request.GET.get("error"))
        if not cancelled:
            logger.warning("District sign-in did not finish: the provider's answer was not accepted")
        return _sign_in_failed(self.request, cancelled=cancelled)

    def _remember_verified_email(self) -> None:
        # The same session state as the emailed My tickets link, plus a note that the district vouched for it.
        email = self.request.sso_verified_email
        self.request.session[REQUESTER_SESSION_KEY] = email
        self.request.session[DISTRICT_ACCOUNT_SESSION_KEY] = email

    def _requester_next_url(self) -> str:
        next_url = self.request.session.get("oidc_login_next") or ""
        allowed = {reverse(name) for name in REQUESTER_PAGES}
        return next_url if next_url.split("?")[0] in allowed else reverse("tickets:my_tickets")
