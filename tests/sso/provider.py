"""A real OpenID provider on loopback (oidc-provider-mock) and the settings that point the help desk at it."""

from urllib.parse import parse_qs, quote, urlsplit

import oidc_provider_mock
import pytest
import requests

from sso.selectors import _provider_configuration_for

DOMAIN = "northpanolaschools.org"


@pytest.fixture(scope="session")
def oidc_provider():
    """The provider's issuer URL; it runs for the whole session, and each test adds the users it needs."""
    # As it ships: one signing key, and no "kid" in the ID token's header (OpenID Connect allows that with one key).
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://127.0.0.1:{server.server_port}"


def sso_switched_on(settings, issuer: str):
    """Point the help desk at `issuer` for one test; yields the issuer and forgets its discovery document after."""
    settings.HELPDESK_OIDC_ISSUER = issuer
    settings.HELPDESK_OIDC_CLIENT_ID = "npsd-helpdesk"
    settings.HELPDESK_OIDC_CLIENT_SECRET = "test-only-secret"
    _provider_configuration_for.cache_clear()
    yield issuer
    _provider_configuration_for.cache_clear()


@pytest.fixture
def district_sso(settings, oidc_provider):
    """District single sign-on switched on, against the loopback provider."""
    yield from sso_switched_on(settings, oidc_provider)


def provider_user(issuer: str, sub: str, **claims) -> str:
    """Add a person to the provider with these claims; returns the sub to type on its sign-in page."""
    response = requests.put(f"{issuer}/users/{quote(sub, safe='')}", json=claims, timeout=5)
    response.raise_for_status()
    return sub


def district_claims(email: str, **extra) -> dict:
    return {"email": email, "email_verified": True, "hd": DOMAIN, "name": "Pat Lee", **extra}


def sign_in_without_browser(client, *, sub: str | None, next_url: str = "", deny: bool = False):
    """The whole redirect flow with Django's test client and requests: help desk, provider, back to the help desk."""
    start = client.get("/sso/sign-in/", {"next": next_url} if next_url else {})
    assert start.status_code == 302, start
    authorize_url = start["Location"]
    form = {"action": "deny"} if deny else {"sub": sub}
    answer = requests.post(authorize_url, data=form, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return client.get(back.path, {key: values[0] for key, values in parse_qs(back.query).items()})
