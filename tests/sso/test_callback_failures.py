"""Whatever a provider sends back, the callback ends in a signed-in person or a polite page with a log line, never a 500.

Django's test client raises any exception a view lets escape, so each case would fail loudly on a server error.
"""

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from helpdesk.requester_session import SESSION_KEY
from sso.selectors import _provider_configuration_for
from tests.conftest import free_port
from tests.sso.scripted_provider import CLIENT_ID, Answer, new_rsa_key, public_jwk, run_scripted_provider

pytestmark = pytest.mark.django_db
PAT = "pat.lee@northpanolaschools.org"
FAILED = "Sign-in did not finish"


@pytest.fixture
def provider(settings):
    provider, stop = run_scripted_provider()
    settings.HELPDESK_OIDC_ISSUER = provider.issuer
    settings.HELPDESK_OIDC_CLIENT_ID = CLIENT_ID
    settings.HELPDESK_OIDC_CLIENT_SECRET = "test-only-secret"
    _provider_configuration_for.cache_clear()
    yield provider
    _provider_configuration_for.cache_clear()
    stop()


def start_sign_in(client) -> tuple[str, str]:
    """Press the button; return the state and nonce this browser's session now expects back."""
    start = client.get("/sso/sign-in/")
    assert start.status_code == 302
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    return state, client.session["oidc_states"][state]["nonce"]


def come_back(client, state: str):
    return client.get("/sso/callback/", {"code": "code-1", "state": state})


def minutes(count: int) -> int:
    return int(time.time()) + 60 * count


# Each case: what the provider answers, given its nonce for this sign-in. All end on "Sign-in did not finish" (400).
BROKEN_ANSWERS = {
    "token-endpoint-500": lambda p, nonce: Answer(status=500, body="Internal Server Error", content_type="text/plain"),
    "token-refused-invalid-grant": lambda p, nonce: Answer(status=400, body={"error": "invalid_grant"}),
    "token-answer-not-json": lambda p, nonce: Answer(body="<html>maintenance</html>", content_type="text/html"),
    "token-answer-a-list": lambda p, nonce: Answer(body=["id_token"]),
    "no-id-token": lambda p, nonce: Answer(body={"access_token": "at-1", "token_type": "Bearer"}),
    "id-token-not-a-jwt": lambda p, nonce: p.token_with("not.a.jwt"),
    "id-token-a-number": lambda p, nonce: p.token_with(12345),
    "unsigned-alg-none": lambda p, nonce: p.token_with(p.id_token(nonce=nonce, key=None, algorithm="none")),
    "hs256-with-the-client-secret": lambda p, nonce: p.token_with(
        p.id_token(nonce=nonce, key="test-only-secret", algorithm="HS256")
    ),
    "signed-by-a-stranger-no-kid": lambda p, nonce: p.token_with(p.id_token(nonce=nonce, key=new_rsa_key())),
    "signed-by-a-stranger-unknown-kid": lambda p, nonce: p.token_with(
        p.id_token(nonce=nonce, key=new_rsa_key(), headers={"kid": "k9"})
    ),
    "expired": lambda p, nonce: p.token_with(p.id_token(nonce=nonce, iat=minutes(-20), exp=minutes(-10))),
    "issued-ten-minutes-ahead": lambda p, nonce: p.token_with(p.id_token(nonce=nonce, iat=minutes(10))),
    "not-before-ten-minutes-ahead": lambda p, nonce: p.token_with(p.id_token(nonce=nonce, nbf=minutes(10))),
    "no-expiry": lambda p, nonce: p.token_with(p.id_token(nonce=nonce, exp=None)),
    "no-nonce": lambda p, nonce: p.token_with(p.id_token(nonce=None)),
    "another-sign-in-nonce": lambda p, nonce: p.token_with(p.id_token(nonce="someone-elses")),
}


@pytest.mark.parametrize("answer", BROKEN_ANSWERS.values(), ids=BROKEN_ANSWERS.keys())
def test_a_broken_token_answer_ends_on_the_polite_page_with_a_log_line(client, provider, caplog, answer):
    state, nonce = start_sign_in(client)
    provider.token_answer = answer(provider, nonce)

    response = come_back(client, state)

    assert response.status_code == 400
    assert FAILED in response.content.decode() and 'role="alert"' in response.content.decode()
    assert SESSION_KEY not in client.session and "_auth_user_id" not in client.session
    assert any(record.name.startswith("sso") for record in caplog.records)


PROVIDER_FAILURES = {
    "key-set-500": lambda p: setattr(p, "jwks_answer", Answer(status=500, body="down", content_type="text/plain")),
    "key-set-not-json": lambda p: setattr(p, "jwks_answer", Answer(body="<html>", content_type="text/html")),
    "key-set-without-keys": lambda p: setattr(p, "jwks_answer", Answer(body={})),
    "key-set-keys-not-a-list": lambda p: setattr(p, "jwks_answer", Answer(body={"keys": "k1"})),
    "key-set-only-an-encryption-key": lambda p: setattr(
        p, "jwks_answer", Answer(body={"keys": [public_jwk(p.key, use="enc")]})
    ),
    "userinfo-500": lambda p: setattr(p, "userinfo_answer", Answer(status=500, body="down")),
    "userinfo-not-json": lambda p: setattr(p, "userinfo_answer", Answer(body="<html>", content_type="text/html")),
    "userinfo-a-list": lambda p: setattr(p, "userinfo_answer", Answer(body=[1, 2])),
}


@pytest.mark.parametrize("break_provider", PROVIDER_FAILURES.values(), ids=PROVIDER_FAILURES.keys())
def test_a_provider_that_fails_after_the_token_ends_on_the_polite_page(client, provider, caplog, break_provider):
    state, nonce = start_sign_in(client)
    provider.token_answer = provider.token_with(provider.id_token(nonce=nonce))
    break_provider(provider)

    response = come_back(client, state)

    assert response.status_code == 400 and FAILED in response.content.decode()
    assert SESSION_KEY not in client.session
    assert any(record.name.startswith("sso") for record in caplog.records)


def test_a_token_endpoint_that_does_not_answer_in_time_ends_on_the_polite_page(client, provider, settings):
    settings.OIDC_TIMEOUT = 0.5
    state, nonce = start_sign_in(client)
    provider.token_answer = Answer(body={}, delay_seconds=2)
    assert come_back(client, state).status_code == 400


def test_a_token_endpoint_that_refuses_connections_ends_on_the_polite_page(client, provider):
    provider.token_endpoint = f"http://127.0.0.1:{free_port()}/token"
    _provider_configuration_for.cache_clear()
    state, _ = start_sign_in(client)
    assert come_back(client, state).status_code == 400


REFUSED_CLAIMS = {
    "another-audience": ({"aud": "someone-elses-app"}, "provider this help desk does not use"),
    "another-issuer": ({"iss": "https://login.example.com"}, "provider this help desk does not use"),
    "no-email": ({"email": None}, "did not tell us its email address"),
    "email-a-list": ({"email": [PAT]}, "not a district account"),
    "unverified": ({"email_verified": "false"}, "not verified by the provider"),
}


@pytest.mark.parametrize("claims, says", REFUSED_CLAIMS.values(), ids=REFUSED_CLAIMS.keys())
def test_a_well_signed_token_with_claims_we_cannot_accept_gets_the_refusal_page(client, provider, claims, says):
    state, nonce = start_sign_in(client)
    provider.token_answer = provider.token_with(provider.id_token(nonce=nonce, **claims))
    provider.userinfo_answer = Answer(body={"sub": "pat"})

    response = come_back(client, state)

    assert response.status_code == 403 and says in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_provider_clock_a_minute_ahead_still_signs_the_person_in(client, provider):
    state, nonce = start_sign_in(client)
    provider.token_answer = provider.token_with(provider.id_token(nonce=nonce, iat=minutes(1)))

    response = come_back(client, state)

    assert (response.status_code, response["Location"]) == (302, "/my/")
    assert client.session[SESSION_KEY] == PAT


def test_a_key_the_help_desk_cannot_read_is_skipped_and_the_right_one_used(client, provider):
    unreadable = {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "bad", "n": "!!", "e": "AQAB"}
    provider.jwks_answer = Answer(body={"keys": [unreadable, public_jwk(provider.key, kid=None)]})
    state, nonce = start_sign_in(client)
    provider.token_answer = provider.token_with(provider.id_token(nonce=nonce))
    assert come_back(client, state)["Location"] == "/my/"


def test_the_code_is_sent_with_this_sessions_pkce_verifier_and_tried_once(client, provider):
    state, nonce = start_sign_in(client)
    verifier = client.session["oidc_states"][state]["code_verifier"]
    provider.token_answer = provider.token_with(provider.id_token(nonce=nonce))

    assert come_back(client, state)["Location"] == "/my/"
    assert provider.token_requests[-1]["code_verifier"] == verifier

    client.post("/my/sign-out/")
    assert come_back(client, state).status_code == 400  # the same state again: refused, the code not sent again
    assert len(provider.token_requests) == 1
