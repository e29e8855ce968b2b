"""Reads for district single sign-on: is it configured, what the provider publishes, who a verified address is."""

import functools
from dataclasses import dataclass

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser

DISCOVERY_PATH = "/.well-known/openid-configuration"
DISCOVERY_TIMEOUT_SECONDS = 10


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be fetched or does not describe this issuer."""


@dataclass(frozen=True)
class ProviderConfiguration:
    """The endpoints an OpenID provider publishes at ISSUER/.well-known/openid-configuration."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    signing_algorithm: str


def sso_is_configured() -> bool:
    """True when the issuer, client id and client secret are all set: only then is the button shown."""
    return bool(
        settings.HELPDESK_OIDC_ISSUER and settings.HELPDESK_OIDC_CLIENT_ID and settings.HELPDESK_OIDC_CLIENT_SECRET
    )


def sso_provider_configuration() -> ProviderConfiguration:
    """The configured provider's endpoints, fetched on first use and then kept for the life of the process."""
    return _provider_configuration_for(issuer=settings.HELPDESK_OIDC_ISSUER.rstrip("/"))


@functools.lru_cache(maxsize=4)  # an exception is not cached: a provider that was down is asked again next time
def _provider_configuration_for(*, issuer: str) -> ProviderConfiguration:
    try:
        response = requests.get(issuer + DISCOVERY_PATH, timeout=DISCOVERY_TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"Could not read {issuer}{DISCOVERY_PATH}: {exc}") from exc
    # OpenID Connect Discovery 1.0, section 4.3: the document must name the issuer it was fetched for.
    if document.get("issuer", "").rstrip("/") != issuer:
        raise ProviderUnavailable(f"{issuer}{DISCOVERY_PATH} names another issuer: {document.get('issuer')!r}")
    algorithms = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    try:
        return ProviderConfiguration(
            issuer=document["issuer"],
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            userinfo_endpoint=document["userinfo_endpoint"],
            jwks_uri=document["jwks_uri"],
            signing_algorithm="RS256" if "RS256" in algorithms else algorithms[0],
        )
    except KeyError as exc:
        raise ProviderUnavailable(f"{issuer}{DISCOVERY_PATH} has no {exc.args[0]}") from exc


def sso_staff_user_for_email(*, email: str) -> AbstractBaseUser | None:
    """The one active Django user with this address (case ignored), or None when there is none or more than one."""
    users = list(get_user_model().objects.filter(email__iexact=email, is_active=True)[:2])
    return users[0] if len(users) == 1 else None
