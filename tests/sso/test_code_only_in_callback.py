"""Only the callback view exchanges an authorization code, and only with the state, nonce and PKCE verifier its session
kept: a code pasted onto the password logins' URLs signs nobody in and is not even sent to the provider."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from tests.factories import TechnicianFactory
from tests.sso.provider import DOMAIN, district_claims, provider_user

pytestmark = pytest.mark.django_db
CASEY = f"casey@{DOMAIN}"


def code_without_nonce_or_pkce(issuer: str, sub: str) -> str:
    """Ask the provider for a code the way an attacker would: straight at its authorize page, no nonce, no PKCE."""
    discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5).json()
    query = urlencode(
        {
            "client_id": "npsd-helpdesk",
            "redirect_uri": "http://testserver/sso/callback/",
            "response_type": "code",
            "scope": "openid email profile",
            "state": "attacker",
        }
    )
    answer = requests.post(f"{discovery['authorization_endpoint']}?{query}", data={"sub": sub}, allow_redirects=False)
    assert answer.status_code == 302, answer.text
    return parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]


def code_still_works(issuer: str, code: str) -> bool:
    discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5).json()
    answer = requests.post(
        discovery["token_endpoint"],
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": "http://testserver/sso/callback/"},
        auth=("npsd-helpdesk", "test-only-secret"),
        timeout=5,
    )
    return answer.status_code == 200


@pytest.mark.parametrize("login", ["/accounts/login/", "/admin/login/"])
def test_a_code_on_a_password_login_signs_nobody_in(client, district_sso, login):
    TechnicianFactory(username="casey", email=CASEY, is_staff=True)
    code = code_without_nonce_or_pkce(district_sso, provider_user(district_sso, "casey", **district_claims(CASEY)))

    response = client.post(f"{login}?code={code}&state=attacker", {"username": "anyone", "password": "guess"})

    assert response.status_code == 200  # the login form again, with its error
    assert "_auth_user_id" not in client.session
    assert client.get("/queue/").status_code == 302
    assert code_still_works(district_sso, code)  # never sent to the provider by the password login


def test_a_code_for_a_state_this_browser_never_started_is_not_exchanged(client, district_sso):
    TechnicianFactory(username="casey", email=CASEY)
    code = code_without_nonce_or_pkce(district_sso, provider_user(district_sso, "casey", **district_claims(CASEY)))
    client.get("/sso/sign-in/")  # this browser expects its own state, not the attacker's

    response = client.get("/sso/callback/", {"code": code, "state": "attacker"})

    assert response.status_code == 400 and "_auth_user_id" not in client.session
    assert code_still_works(district_sso, code)


def test_a_session_state_without_a_pkce_verifier_is_refused(client, district_sso):
    """A state kept without its verifier (an older session, a changed setting) is not allowed to weaken the check."""
    TechnicianFactory(username="casey", email=CASEY)
    start = client.get("/sso/sign-in/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    session = client.session
    session["oidc_states"][state]["code_verifier"] = None
    session.save()
    sub = provider_user(district_sso, "casey", **district_claims(CASEY))
    answer = requests.post(start["Location"], data={"sub": sub}, allow_redirects=False, timeout=5)
    back = urlsplit(answer.headers["Location"])

    response = client.get(back.path, {key: values[0] for key, values in parse_qs(back.query).items()})

    assert response.status_code == 400 and "_auth_user_id" not in client.session
