"""mozilla-django-oidc's backend, fed from the provider's discovery document and limited to existing district users.

The library does the protocol: the code exchange, the ID token's signature and expiry, the nonce. This class adds
what the district decides: which claims are good enough, that signing in never creates a user or changes one, that
only the callback view can exchange a code (with the state, nonce and PKCE verifier its own session kept), and which
of the provider's keys checks a token (OpenID Connect lets a provider with one key leave `kid` out). A requester (no
active user with the address) is not a Django user at all: the backend leaves the verified address on the request for
the callback view and returns None.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from sso.claims import SignInRefused, district_email_from_claims
from sso.selectors import sso_is_configured, sso_provider_configuration, sso_staff_user_for_email
from tickets.backends import user_for_session

logger = logging.getLogger(__name__)
# How far the provider's clock may be from ours: a token "issued" a minute in our future is still good.
CLOCK_SKEW = timedelta(minutes=2)
# The key type each family of signing algorithms needs (RFC 7518, section 3.1).
KEY_TYPE_FOR_ALGORITHM = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}


@dataclass(frozen=True)
class DistrictSignInAttempt:
    """What this browser's session kept when it was sent to the provider; only the callback view builds one."""

    nonce: str
    code_verifier: str


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


def signing_keys_for(*, header: dict, key_set: object, algorithm: str) -> list[jwt.PyJWK]:
    """The provider's keys that may have signed a token with this header (OpenID Connect Core 1.0, section 10.1).

    With a `kid` in the header, only the key with that id. Without one (allowed when the provider publishes one key),
    every signing key of the algorithm's type; the caller tries each. Keys this library cannot read are skipped.
    """
    keys = key_set.get("keys") if isinstance(key_set, dict) else None
    if not isinstance(keys, list):
        raise SuspiciousOperation("The provider's key set has no list of keys.")
    key_type = KEY_TYPE_FOR_ALGORITHM.get(algorithm[:2])
    kid = header.get("kid")
    found = []
    for key in keys:
        if not isinstance(key, dict) or key.get("use", "sig") != "sig":
            continue
        if kid is not None and key.get("kid") != kid:
            continue
        if key.get("kty") != key_type or key.get("alg", algorithm) != algorithm:
            continue
        try:
            found.append(jwt.PyJWK(key, algorithm=algorithm))
        except jwt.PyJWTError:
            logger.info("District sign-in: skipped a provider key this help desk cannot read (kid %r)", key.get("kid"))
    if not found:
        raise SuspiciousOperation(f"No key in the provider's key set fits this token (kid {kid!r}, {algorithm}).")
    return found


class DistrictAccountBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(oidc_setting)

    # The library's get_user skips the is_active check; ours refuses a deactivated user on every request.
    def get_user(self, user_id):
        return user_for_session(user_id)

    def __init__(self, *args, **kwargs):
        # Django builds every backend for each password login too: ask the provider for its endpoints only when
        # someone actually comes back from it (authenticate below), never for a password login.
        self.UserModel = get_user_model()

    # No **kwargs: Django skips a backend whose signature does not fit the credentials, so a password login
    # (username, password) never reaches this method, whatever its URL says; only the callback passes an attempt.
    def authenticate(self, request, district_sign_in: DistrictSignInAttempt):
        if request is None or not isinstance(district_sign_in, DistrictSignInAttempt) or not sso_is_configured():
            return None
        if not district_sign_in.nonce or not district_sign_in.code_verifier:
            return None  # the session that started this sign-in did not keep both: refuse rather than weaken it
        super().__init__()  # reads the endpoints (discovery) and the client settings
        return super().authenticate(request, nonce=district_sign_in.nonce, code_verifier=district_sign_in.code_verifier)

    def retrieve_matching_jwk(self, token):
        """Every key that may have signed the token (the library's own lookup fails without a `kid`)."""
        timeout_seconds = float(self.get_settings("OIDC_TIMEOUT", 10))
        verify_tls = self.get_settings("OIDC_VERIFY_SSL", True)
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, verify=verify_tls, timeout=timeout_seconds)
        response.raise_for_status()
        header = jwt.get_unverified_header(token)
        return signing_keys_for(header=header, key_set=response.json(), algorithm=self.OIDC_RP_SIGN_ALGO)

    def _verify_jws(self, payload, key):
        """Return the token's claims if one of the keys signed it, allowing for CLOCK_SKEW; raise otherwise."""
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"The token is signed with {algorithm!r}, not {self.OIDC_RP_SIGN_ALGO!r}.")
        for candidate in key if isinstance(key, list) else [key]:
            try:
                return jwt.decode(
                    payload,
                    candidate,
                    algorithms=[algorithm],
                    leeway=CLOCK_SKEW,
                    options={"verify_aud": False, "require": ["exp", "iat"]},  # audience: sso.claims
                )
            except jwt.InvalidSignatureError:
                continue
        raise SuspiciousOperation("No key in the provider's key set verifies the token's signature.")

    def get_userinfo(self, access_token, id_token, payload):
        # The signed ID token's claims win over the userinfo answer: Entra ID's optional claims are only in the token.
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict):
            raise SuspiciousOperation("The provider's userinfo answer is not a JSON object.")
        return {**userinfo, **payload}

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
            logger.info("District sign-in refused: %s", refused.refusal.value)
            self.request.sso_refused = refused
            return None
        self.request.sso_verified_email = email
        # Staff permissions stay with Django groups: the user is found, never created or changed.
        return sso_staff_user_for_email(email=email)
