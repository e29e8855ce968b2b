"""Which district account an OpenID provider's claims prove, decided from the claims alone (no request, no network).

The library (mozilla-django-oidc) has already checked the ID token's signature, expiry and nonce, and the state;
this module only decides whether the person it names may use the help desk as that address.
"""

from django.db import models

from helpdesk.email_address import normalize_email

# Claims that say the provider checked the address, asked in this order; the first one present decides.
# Google and most providers send email_verified. Microsoft Entra ID sends none for work accounts unless the app
# registration adds the optional claim xms_edov ("email domain owner verified"): the tenant owns the domain.
VERIFIED_EMAIL_CLAIMS = ("email_verified", "xms_edov")


class Refusal(models.TextChoices):
    """Why an account was not let in; the label is the sentence the person reads."""

    NO_EMAIL = "no_email", "Your account did not tell us its email address."
    UNVERIFIED = "unverified", "Your account's email address is not verified by the provider."
    OUTSIDE_DISTRICT = "outside_district", "This account is not a district account."
    WRONG_PROVIDER = "wrong_provider", "The sign-in came from a provider this help desk does not use."


class SignInRefused(Exception):
    def __init__(self, refusal: Refusal, *, email: str = ""):
        super().__init__(refusal.label)
        self.refusal = refusal
        self.email = email


def _is_true(value) -> bool:
    # Some providers send the JSON string "true" instead of the boolean.
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _email_is_verified(claims: dict) -> bool:
    for name in VERIFIED_EMAIL_CLAIMS:
        if name in claims:
            return _is_true(claims[name])
    return False


def district_email_from_claims(*, claims: dict, issuer: str, client_id: str, domain: str) -> str:
    """Return the verified district address these claims prove, lower-cased, or raise SignInRefused saying why not."""
    audience = claims.get("aud", [])
    audience = [audience] if isinstance(audience, str) else audience
    token_issuer = str(claims.get("iss", "")).rstrip("/")
    # Google's ID tokens may say "accounts.google.com" without the scheme; its issuer is the https URL.
    token_issuer = token_issuer if "://" in token_issuer else f"https://{token_issuer}"
    if token_issuer != issuer.rstrip("/") or client_id not in audience:
        raise SignInRefused(Refusal.WRONG_PROVIDER)
    email = normalize_email(str(claims.get("email") or ""))
    if "@" not in email:
        raise SignInRefused(Refusal.NO_EMAIL)
    if email.rpartition("@")[2] != domain.lower():
        raise SignInRefused(Refusal.OUTSIDE_DISTRICT, email=email)
    # Google Workspace names the account's organisation in "hd"; a personal Gmail account has none.
    if "hd" in claims and str(claims["hd"]).lower() != domain.lower():
        raise SignInRefused(Refusal.OUTSIDE_DISTRICT, email=email)
    if not _email_is_verified(claims):
        raise SignInRefused(Refusal.UNVERIFIED, email=email)
    return email
