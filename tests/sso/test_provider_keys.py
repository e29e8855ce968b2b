"""Which of a provider's keys checks an ID token: by `kid` when the token names one, else each key of the right type.

The flows run against oidc-provider-mock as it ships (one key, no `kid` in the token), and against the same provider
publishing a second key, with and without `kid`; Google's and Entra ID's documented claim shapes go through too.
"""

import json
import threading

import jwt
import oidc_provider_mock
import pytest
import werkzeug.serving
from django.core.exceptions import SuspiciousOperation

from helpdesk.requester_session import SESSION_KEY
from sso.backends import signing_keys_for
from tests.factories import TechnicianFactory
from tests.sso.provider import DOMAIN, district_claims, provider_user, sign_in_without_browser, sso_switched_on
from tests.sso.scripted_provider import new_rsa_key, public_jwk

PAT = f"pat.lee@{DOMAIN}"


def _with_second_key(app, extra_key: dict):
    """The provider's WSGI app, publishing one more signing key (first, so "take the first" would pick wrongly)."""

    def wrapped(environ, start_response):
        if environ.get("PATH_INFO") != "/jwks":
            return app(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        body = b"".join(app(environ, capture))
        key_set = json.loads(body)
        data = json.dumps({"keys": [extra_key, *key_set["keys"]]}).encode()
        headers = [(name, value) for name, value in captured["headers"] if name.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(data)))])
        return [data]

    return wrapped


@pytest.fixture(scope="module")
def two_key_provider():
    app = _with_second_key(oidc_provider_mock.app(), public_jwk(new_rsa_key(), kid="retired-2025"))
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def two_key_sso(settings, two_key_provider):
    yield from sso_switched_on(settings, two_key_provider)


@pytest.fixture
def token_names_its_key(monkeypatch):
    """The provider writes `kid` in the ID token's header, as Google and Entra ID do."""
    code_grant = oidc_provider_mock._app.OpenIDCode
    original = code_grant.get_encode_header

    def get_encode_header(self, client):
        return {**original(self, client), "kid": self.resolve_client_private_key(client)["kid"]}

    monkeypatch.setattr(code_grant, "get_encode_header", get_encode_header)


@pytest.mark.django_db
def test_one_key_and_no_kid_as_the_provider_ships_signs_the_person_in(client, district_sso):
    sub = provider_user(district_sso, "pat", **district_claims(PAT))
    assert sign_in_without_browser(client, sub=sub)["Location"] == "/my/"
    assert client.session[SESSION_KEY] == PAT


@pytest.mark.django_db
def test_two_keys_and_no_kid_each_key_is_tried(client, two_key_sso):
    sub = provider_user(two_key_sso, "pat", **district_claims(PAT))
    assert sign_in_without_browser(client, sub=sub)["Location"] == "/my/"


@pytest.mark.django_db
def test_two_keys_and_a_kid_the_named_key_checks_it(client, two_key_sso, token_names_its_key):
    TechnicianFactory(username="casey", email=f"casey@{DOMAIN}")
    sub = provider_user(two_key_sso, "casey", **district_claims(f"casey@{DOMAIN}"))
    assert sign_in_without_browser(client, sub=sub)["Location"] == "/queue/"


# Google's ID token (developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload): hd names
# the Workspace domain; email_verified is a boolean.
GOOGLE_CLAIMS = {
    "azp": "npsd-helpdesk",
    "email": PAT,
    "email_verified": True,
    "hd": DOMAIN,
    "at_hash": "HK6E_P6Dh8Y93mRNtsDB1Q",
    "name": "Pat Lee",
    "given_name": "Pat",
    "family_name": "Lee",
    "picture": "https://lh3.googleusercontent.com/a/photo",
    "locale": "en",
}
# Entra ID's v2.0 ID token (learn.microsoft.com/entra/identity-platform/id-token-claims-reference), with the optional
# claims email and xms_edov that docs/deploy.md asks the admin to add; no email_verified.
ENTRA_CLAIMS = {
    "ver": "2.0",
    "tid": "9188040d-6c67-4c5b-b112-36a304b66dad",
    "oid": "00000000-0000-0000-66f3-3332eca7ea81",
    "preferred_username": PAT,
    "name": "Pat Lee",
    "email": PAT,
    "xms_edov": True,
    "aio": "Df2UVXL1ix!lMCWMSOJBcFatzcGfvFGhjKv8q5g0x732dR5MB5BisvGQO7YWByjd8iQDLq!eGbIDakyp5mnOrcdqHeYSnltepQmRp6AIZ8jY",
    "rh": "0.AXEAg8yOe-yKxEywrv5pMjwhAmUaAFwAJ8g",
    "uti": "Zhv8ht7nz0KpJ6aAlZqaAA",
}


@pytest.mark.django_db
@pytest.mark.parametrize("claims", [GOOGLE_CLAIMS, ENTRA_CLAIMS], ids=["google", "entra-id"])
def test_the_documented_claim_shapes_sign_a_requester_in(client, district_sso, claims):
    sub = provider_user(district_sso, f"pat-{claims.get('ver', 'google')}", **claims)
    assert sign_in_without_browser(client, sub=sub)["Location"] == "/my/"
    assert client.session[SESSION_KEY] == PAT


@pytest.mark.django_db
def test_an_entra_id_token_without_xms_edov_is_refused_as_unverified(client, district_sso):
    claims = {name: value for name, value in ENTRA_CLAIMS.items() if name != "xms_edov"}
    response = sign_in_without_browser(client, sub=provider_user(district_sso, "pat-no-edov", **claims))
    assert response.status_code == 403 and "not verified by the provider" in response.content.decode()


KEY_A, KEY_B = public_jwk(new_rsa_key(), kid="a"), public_jwk(new_rsa_key(), kid="b")
EC_KEY = {"kty": "EC", "crv": "P-256", "kid": "ec", "use": "sig", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
          "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}  # fmt: skip


@pytest.mark.parametrize(
    "header, keys, expected_kids",
    [
        ({"alg": "RS256", "kid": "b"}, [KEY_A, KEY_B], ["b"]),
        ({"alg": "RS256"}, [KEY_A], ["a"]),
        ({"alg": "RS256"}, [KEY_A, KEY_B], ["a", "b"]),
        ({"alg": "RS256"}, [EC_KEY, KEY_B], ["b"]),
        ({"alg": "RS256"}, [{**KEY_A, "use": "enc"}, KEY_B], ["b"]),
        ({"alg": "RS256"}, [{**KEY_A, "alg": "RS512"}, KEY_B], ["b"]),
        ({"alg": "RS256"}, [{name: v for name, v in KEY_A.items() if name not in ("use", "alg", "kid")}], [None]),
    ],
    ids=["by-kid", "one-key", "two-keys", "other-type-skipped", "encryption-key-skipped", "other-alg-skipped",
         "bare-key"],
)  # fmt: skip
def test_signing_keys_for_follows_openid_connect(header, keys, expected_kids):
    found = signing_keys_for(header=header, key_set={"keys": keys}, algorithm="RS256")
    assert [key.key_id for key in found] == expected_kids


@pytest.mark.parametrize(
    "header, key_set",
    [({"kid": "c"}, {"keys": [KEY_A, KEY_B]}), ({}, {"keys": []}), ({}, {}), ({}, []), ({}, {"keys": [EC_KEY]})],
    ids=["unknown-kid", "empty", "no-keys", "not-an-object", "no-key-of-the-type"],
)
def test_signing_keys_for_refuses_when_no_key_fits(header, key_set):
    with pytest.raises(SuspiciousOperation):
        signing_keys_for(header={"alg": "RS256", **header}, key_set=key_set, algorithm="RS256")


def test_a_token_signed_by_one_of_two_keys_verifies_with_the_list():
    private = new_rsa_key()
    token = jwt.encode({"sub": "x"}, private, algorithm="RS256")
    keys = signing_keys_for(header={"alg": "RS256"}, key_set={"keys": [KEY_A, public_jwk(private)]}, algorithm="RS256")
    assert len(keys) == 2 and jwt.decode(token, keys[1], algorithms=["RS256"]) == {"sub": "x"}
