"""mozilla-django-oidc's backend, fed from the provider's discovery document and limited to existing district users.

The library does the protocol: state and nonce, the code exchange, the ID token's signature (keys from the
provider's JWKS), its expiry. This class adds only what the district decides: which claims are good enough, and
that signing in never creates a user or changes one. A requester (no active user with the address) is not a Django
user at all: the backend leaves the verified address on the request for the callback view and returns None.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from sso.claims import SignInRefused, district_email_from_claims
from sso.selectors import sso_is_configured, sso_provider_configuration, sso_staff_user_for_email
from tickets.backends import user_for_session


def oidc_setting(name: str, *default):
    """The library's settings: client and endpoints from HELPDESK_OIDC_* and discovery, the rest from settings.py."""
    if name == "OIDC_RP_CLIENT_ID":
        return settings.HELPDESK_OIDC_CLIENT_ID
    if name == "OIDC_RP_CLIENT_SECRET":
        return settings.HELPDESK_OIDC_CLIENT_SECRET
    provider = sso_provider_configuration() if name.startswith("OIDC_OP_") or name == "OIDC_RP_SIGN_ALGO" else None
    endpoints = provider and {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": provider.authorization_endpoint,
        "OIDC_OP_TOKEN_ENDPOINT": provider.token_endpoint,
        "OIDC_OP_USER_ENDPOINT": provider.userinfo_endpoint,
        "OIDC_OP_JWKS_ENDPOINT": provider.jwks_uri,
        "OIDC_RP_SIGN_ALGO": provider.signing_algorithm,
    }
    if endpoints and name in endpoints:
        return endpoints[name]
    return import_from_settings(name, *default)


class DistrictAccountBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(oidc_setting)

    # The library's get_user skips the is_active check; ours refuses a deactivated user on every request.
    def get_user(self, user_id):
        return user_for_session(user_id)

    def __init__(self, *args, **kwargs):
        # Django builds every backend for each password login too: ask the provider for its endpoints only when
        # someone actually comes back from it (authenticate below), never for a password login.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or not sso_is_configured() or "code" not in request.GET:
            return None
        super().__init__()  # reads the endpoints (discovery) and the client settings
        return super().authenticate(request, **kwargs)

    def get_userinfo(self, access_token, id_token, payload):
        # The signed ID token's claims win over the userinfo answer: Entra ID's optional claims are only in the token.
        return {**super().get_userinfo(access_token, id_token, payload), **payload}

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            email = district_email_from_claims(
                claims=claims,
                issuer=sso_provider_configuration().issuer,
                client_id=settings.HELPDESK_OIDC_CLIENT_ID,
                domain=settings.HELPDESK_REQUESTER_DOMAIN,
            )
        except SignInRefused as refused:
            self.request.sso_refused = refused
            return None
        self.request.sso_verified_email = email
        # Staff permissions stay with Django groups: the user is found, never created or changed.
        return sso_staff_user_for_email(email=email)
