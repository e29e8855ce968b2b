"""The district's rule for the Requester address: only district mailboxes, with advice that fixes the usual typos."""

from rapidfuzz.distance import OSA

from helpdesk.email_address import normalize_email

# Real endings people type instead of .org; anything else that starts with the district's name is a typo.
OTHER_REAL_ENDINGS = {"com", "edu", "net", "gov", "us", "k12.ms.us", "ms.us", "info", "biz", "co", "org.us"}
NEAR_MISS_MAX_TYPOS = 2


def requester_email_problem(address: str, *, domain: str, real_lookalikes: frozenset[str] = frozenset()) -> str | None:
    """Return what the person must fix in an address, or None when it is a district address.

    real_lookalikes are other organisations' domains close to ours (a neighbouring district): never "did you mean".
    """
    local, _, typed_domain = normalize_email(address).rpartition("@")
    typed_domain = typed_domain.rstrip(".")
    domain = domain.lower()
    if typed_domain == domain:
        return None
    typed_ending = typed_domain.partition(".")[2]
    if requester_email_suggestion(address, domain=domain, real_lookalikes=real_lookalikes):
        if typed_domain.partition(".")[0] == domain.partition(".")[0] and typed_ending in OTHER_REAL_ENDINGS:
            return f"We are @{domain}, not .{typed_ending}. Please enter your address as {local}@{domain}."
        return f"Did you mean {local}@{domain}? Please check the part after the @."
    return (
        f"Use your district email address, which ends in @{domain}. "
        "We can only send updates about your ticket to a district address."
    )


def requester_email_suggestion(address: str, *, domain: str, real_lookalikes: frozenset[str] = frozenset()) -> str:
    """The district address a typo was meant to be (.com for .org, a misspelt domain), or "" when there is none."""
    local, _, typed_domain = normalize_email(address).rpartition("@")
    typed_domain, domain = typed_domain.rstrip("."), domain.lower()
    if not local or typed_domain == domain:
        return ""
    typed_name, _, typed_ending = typed_domain.partition(".")
    district_name = domain.partition(".")[0]
    if typed_name == district_name and typed_ending in OTHER_REAL_ENDINGS:
        return f"{local}@{domain}"
    is_typo = typed_domain not in real_lookalikes
    if is_typo and (typed_name == district_name or OSA.distance(typed_domain, domain) <= NEAR_MISS_MAX_TYPOS):
        return f"{local}@{domain}"
    return ""
