"""District single sign-on in Chromium, through the real redirects to an OpenID provider on loopback."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.factories import TechnicianFactory, TicketFactory
from tests.sso.provider import DOMAIN, district_claims, provider_user
from tickets.models import Ticket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults")]
PAT = f"pat.lee@{DOMAIN}"


def sign_in_at_provider(page, sub: str) -> None:
    """The provider's own page: type who you are and authorize (Google or Entra ID ask for a password here)."""
    page.get_by_role("link", name="Sign in with your district account").click()
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_requester_lands_signed_in_on_my_tickets_and_the_form_fixes_the_requester(live_server, page, district_sso):
    TicketFactory(number=4100, requester_email=PAT, subject="Projector in room 12 will not turn on")
    sub = provider_user(district_sso, "pat-google", **district_claims(PAT))

    page.goto(f"{live_server.url}/my/")
    assert violations(page) == []
    sign_in_at_provider(page, sub)

    expect(page.get_by_role("heading", level=1)).to_have_text("My tickets")
    expect(page.get_by_role("button", name=f"Sign out {PAT}")).to_be_visible()
    expect(page.get_by_role("link", name="#4100")).to_be_visible()

    page.get_by_role("link", name="Submit a ticket").first.click()
    requester = page.get_by_label("Requester")
    expect(requester).to_have_value(PAT)
    expect(requester).to_be_disabled()
    expect(page.get_by_role("link", name="Sign in with your district account")).to_have_count(0)
    assert violations(page) == []
    page.get_by_label("Subject").fill("Projector still off")
    page.get_by_label("School").select_option(label="Green Hill Elementary School")
    page.get_by_label("Classroom number").fill("12")
    page.get_by_label("Description").fill("The projector still does not turn on after lunch, light blinks blue.")
    page.get_by_role("button", name="Submit", exact=True).last.click()

    # The duplicate step knows this browser is Pat: it shows the open ticket's subject.
    expect(page.get_by_role("alert")).to_contain_text("You already have 1 open ticket")
    expect(page.locator("#duplicate-choice")).to_contain_text("Projector in room 12 will not turn on")
    page.get_by_role("button", name="Submit a new ticket anyway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you. Your ticket is in.")
    assert Ticket.objects.filter(requester_email=PAT).count() == 2
    assert not get_user_model().objects.exists()


def test_technician_signs_in_from_the_login_page_and_reaches_the_queue(live_server, page, district_sso):
    TechnicianFactory(username="casey", email=f"casey.jones@{DOMAIN}")
    sub = provider_user(district_sso, "casey-google", **district_claims(f"Casey.Jones@{DOMAIN}"))

    page.goto(f"{live_server.url}/queue/")  # not signed in: the login page, with the way back to the queue
    sign_in_at_provider(page, sub)

    assert page.url == f"{live_server.url}/queue/"
    expect(page.get_by_role("button", name="Log out casey")).to_be_visible()


@pytest.mark.parametrize(
    "claims, says",
    [
        ({"email": "pat.lee@gmail.com", "email_verified": True}, "This account is not a district account."),
        ({"email": PAT, "email_verified": False, "hd": DOMAIN}, "is not verified by the provider"),
    ],
    ids=["outside-domain", "unverified-email"],
)
def test_refused_accounts_see_why_and_what_to_do(live_server, page, district_sso, claims, says, browser_errors):
    sub = provider_user(district_sso, f"refused-{claims['email']}-{claims['email_verified']}", **claims)

    page.goto(f"{live_server.url}/tickets/new/")
    sign_in_at_provider(page, sub)

    expect(page.get_by_role("heading", level=1)).to_have_text("We could not sign you in with that account")
    expect(page.get_by_role("alert")).to_contain_text(says)
    # The refusal page is a 403 on purpose; Chromium logs every 4xx document as a console error.
    browser_errors[:] = [error for error in browser_errors if "status of 403 (Forbidden) at" not in error]
    expect(page.get_by_role("link", name="Submit a ticket").last).to_be_visible()
    assert violations(page) == []
    page.goto(f"{live_server.url}/tickets/new/")
    expect(page.get_by_label("Requester")).to_be_enabled()
    expect(page.get_by_label("Requester")).to_have_value("")
