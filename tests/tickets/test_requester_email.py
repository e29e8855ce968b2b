import pytest

from district.requester_email import requester_email_problem
from helpdesk.email_address import normalize_email

DOMAIN = "northpanolaschools.org"
OTHER_ENDING = "We are @northpanolaschools.org, not"
DID_YOU_MEAN = "Did you mean"
DISTRICT = "Use your district email address"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        # District addresses, in any case and with stray spaces.
        ("jdoe@northpanolaschools.org", None),
        ("JDoe@NorthPanolaSchools.ORG", None),
        ("  pat.lee@northpanolaschools.org  ", None),
        ("first.last+tickets@northpanolaschools.org", None),
        ("tmangrum@northpanolaschools.org.", None),
        # The district's name with another real ending: name the ending they typed.
        ("jdoe@northpanolaschools.com", f"{OTHER_ENDING} .com."),
        ("jdoe@northpanolaschools.edu", f"{OTHER_ENDING} .edu."),
        ("jdoe@northpanolaschools.net", f"{OTHER_ENDING} .net."),
        ("JDOE@NORTHPANOLASCHOOLS.COM", f"{OTHER_ENDING} .com."),
        ("jdoe@northpanolaschools.k12.ms.us", f"{OTHER_ENDING} .k12.ms.us."),
        ("jdoe@northpanolaschools.gov", f"{OTHER_ENDING} .gov."),
        # Near misses of the whole domain, within two typing mistakes.
        ("jdoe@northpanolaschool.org", f"{DID_YOU_MEAN} jdoe@northpanolaschools.org?"),
        ("jdoe@nothpanolaschools.org", f"{DID_YOU_MEAN} jdoe@northpanolaschools.org?"),
        ("jdoe@northpanolaschools.og", f"{DID_YOU_MEAN} jdoe@northpanolaschools.org?"),
        ("jdoe@northpanolashcools.org", f"{DID_YOU_MEAN} jdoe@northpanolaschools.org?"),
        ("jdoe@northpanolaschools.orf", f"{DID_YOU_MEAN} jdoe@northpanolaschools.org?"),
        ("jdoe@nortpanolaschool.org", f"{DID_YOU_MEAN} jdoe@northpanolaschools.org?"),
        ("jdoe@northpanolaschools.ogr", f"{DID_YOU_MEAN} jdoe@northpanolaschools.org?"),
        ("jdoe@northpanolaschoolsorg", f"{DID_YOU_MEAN} jdoe@northpanolaschools.org?"),
        ("jdoe@northpanolaschools.orgg", f"{DID_YOU_MEAN} jdoe@northpanolaschools.org?"),
        ("Jane.Doe@NorthPanolaSchool.org", f"{DID_YOU_MEAN} jane.doe@northpanolaschools.org?"),
        # The district's name with an ending that is not a real one: still a typo of ours.
        ("jdoe@northpanolaschools.cm", f"{DID_YOU_MEAN} jdoe@northpanolaschools.org?"),
        ("jdoe@northpanolaschools", f"{DID_YOU_MEAN} jdoe@northpanolaschools.org?"),
        # Anything else is somebody else's mailbox.
        ("jdoe@gmail.com", DISTRICT),
        ("jdoe@yahoo.com", DISTRICT),
        ("jdoe@southpanolaschools.org", DISTRICT),
        ("jdoe@panola.k12.ms.us", DISTRICT),
        ("jdoe@mail.northpanolaschools.org", DISTRICT),
        ("jdoe@northpanola.org", DISTRICT),
        ("jdoe@outlook.com", DISTRICT),
    ],
)
def test_requester_email_problem_follows_the_district_rules_in_order(address, expected):
    """District addresses pass; other endings, near misses and other domains each get their own advice."""
    problem = requester_email_problem(address, domain=DOMAIN, real_lookalikes=frozenset({"southpanolaschools.org"}))
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and problem.startswith(expected), problem


def test_requester_email_problem_uses_the_configured_domain():
    """The rule follows HELPDESK_REQUESTER_DOMAIN, not a hard-coded name."""
    assert requester_email_problem("a@example.edu", domain="example.edu") is None
    assert requester_email_problem("a@example.com", domain="example.edu").startswith("We are @example.edu, not .com")


def test_normalize_email_trims_and_lowercases():
    """Stored addresses are trimmed and lower-case, so one person is one requester."""
    assert normalize_email("  Pat.Lee@NorthPanolaSchools.org \n") == "pat.lee@northpanolaschools.org"
