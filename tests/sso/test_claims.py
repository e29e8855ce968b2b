import pytest

from sso.claims import Refusal, SignInRefused, district_email_from_claims

ISSUER = "https://accounts.google.com"
CLIENT = "npsd-helpdesk"
DOMAIN = "northpanolaschools.org"


def check(**claims):
    base = {"iss": ISSUER, "aud": CLIENT}
    return district_email_from_claims(claims={**base, **claims}, issuer=ISSUER, client_id=CLIENT, domain=DOMAIN)


def refusal_of(**claims) -> Refusal:
    with pytest.raises(SignInRefused) as refused:
        check(**claims)
    return refused.value.refusal


def test_a_verified_district_address_is_accepted_lower_cased():
    assert check(email="Pat.Lee@NorthPanolaSchools.org", email_verified=True, hd=DOMAIN) == f"pat.lee@{DOMAIN}"


def test_email_verified_sent_as_the_string_true_counts():
    assert check(email=f"pat@{DOMAIN}", email_verified="true") == f"pat@{DOMAIN}"


@pytest.mark.parametrize("verified", [False, "false", None, 1, "yes"])
def test_an_address_the_provider_did_not_verify_is_refused(verified):
    assert refusal_of(email=f"pat@{DOMAIN}", email_verified=verified) == Refusal.UNVERIFIED


def test_an_address_without_any_verification_claim_is_refused():
    assert refusal_of(email=f"pat@{DOMAIN}") == Refusal.UNVERIFIED


def test_entra_id_domain_owner_verified_claim_counts_when_email_verified_is_absent():
    assert check(email=f"pat@{DOMAIN}", xms_edov=True) == f"pat@{DOMAIN}"
    assert refusal_of(email=f"pat@{DOMAIN}", xms_edov=False) == Refusal.UNVERIFIED


def test_email_verified_false_is_not_overruled_by_xms_edov():
    assert refusal_of(email=f"pat@{DOMAIN}", email_verified=False, xms_edov=True) == Refusal.UNVERIFIED


@pytest.mark.parametrize(
    "email",
    ["pat@gmail.com", "pat@southpanolaschools.org", f"pat@{DOMAIN}.evil.example", f"pat@mail.{DOMAIN}", "pat"],
)
def test_an_address_outside_the_district_is_refused(email):
    expected = Refusal.NO_EMAIL if "@" not in email else Refusal.OUTSIDE_DISTRICT
    assert refusal_of(email=email, email_verified=True) == expected


def test_google_hosted_domain_must_be_the_districts_when_present():
    refused = refusal_of(email=f"pat@{DOMAIN}", email_verified=True, hd="other.example")
    assert refused == Refusal.OUTSIDE_DISTRICT


def test_no_email_claim_is_refused():
    assert refusal_of(email_verified=True) == Refusal.NO_EMAIL


@pytest.mark.parametrize("claims", [{"iss": "https://evil.example"}, {"aud": "another-app"}, {"aud": ["x", "y"]}])
def test_a_token_for_another_issuer_or_client_is_refused(claims):
    assert refusal_of(email=f"pat@{DOMAIN}", email_verified=True, **claims) == Refusal.WRONG_PROVIDER


def test_an_audience_list_that_includes_the_client_is_accepted():
    assert check(email=f"pat@{DOMAIN}", email_verified=True, aud=["other", CLIENT]) == f"pat@{DOMAIN}"


def test_a_refusal_keeps_the_address_to_show_the_person():
    with pytest.raises(SignInRefused) as refused:
        check(email="Pat@Gmail.com", email_verified=True)
    assert refused.value.email == "pat@gmail.com"


def test_google_issuer_without_the_scheme_is_the_same_issuer():
    assert check(iss="accounts.google.com", email=f"pat@{DOMAIN}", email_verified=True) == f"pat@{DOMAIN}"
