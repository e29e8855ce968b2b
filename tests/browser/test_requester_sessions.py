"""A requester on a phone and on a laptop: sign in with "Keep me signed in", Sign out from the header, signed out."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import problems
from tests.factories import TicketFactory
from tests.sso.provider import DOMAIN, district_claims, provider_user
from tickets.requester_access import KEEP_SIGNED_IN_FOR

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("district_defaults"),
    pytest.mark.vnu,
]
PAT = f"pat.lee@{DOMAIN}"
PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}
KEEP = "Keep me signed in on this device"


def session_cookie(page, live_server) -> dict | None:
    cookies = page.context.cookies(live_server.url)
    return next((cookie for cookie in cookies if cookie["name"] == "sessionid"), None)


def header_sign_out(page):
    return page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out", exact=True)


def assert_no_sideways_scroll(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_requester_keeps_the_sign_in_then_signs_out_from_the_header(
    live_server, page, smtp_server, settings, html_pages, viewport
):
    settings.HELPDESK_BASE_URL = live_server.url
    TicketFactory(number=5100, requester_email=PAT, subject="Projector will not turn on")
    page.set_viewport_size(viewport)
    name = f"{viewport['width']}px"

    page.goto(f"{live_server.url}/my/")
    page.get_by_label("Your district email address").fill(PAT)
    page.get_by_role("button", name="Email me a sign-in link").click()
    [message] = smtp_server.wait_for(1)
    link = re.search(r"http://\S+/my/sign-in/\S+/", message.get_body(("plain",)).get_content()).group(0)
    response = page.goto(link)

    keep = page.get_by_label(KEEP)
    expect(keep).not_to_be_checked()
    expect(page.get_by_text("Leave it unticked on a shared classroom computer.")).to_be_visible()
    assert problems(page, response.text(), html_pages, f"sign-in confirm {name}") == []
    assert_no_sideways_scroll(page, viewport)
    keep.check()
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My tickets")
    expect(page.get_by_role("link", name="#5100")).to_be_visible()
    status = page.get_by_text("Status: Open")
    expect(status).to_be_visible()
    box = status.bounding_box()  # on the screen, not in a table scrolled sideways out of view
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    sign_out = header_sign_out(page)
    expect(sign_out).to_be_visible()
    assert problems(page, navigation.value.text(), html_pages, f"my tickets signed in {name}") == []
    assert_no_sideways_scroll(page, viewport)
    kept_for = session_cookie(page, live_server)["expires"] - time.time()
    assert KEEP_SIGNED_IN_FOR.total_seconds() - 60 < kept_for <= KEEP_SIGNED_IN_FOR.total_seconds()

    page.get_by_role("link", name="Submit a ticket").first.click()
    expect(header_sign_out(page)).to_be_visible()  # on every page, the public ones too

    header_sign_out(page).focus()  # reachable and pressed from the keyboard
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")
    expect(header_sign_out(page)).to_have_count(0)
    assert problems(page, navigation.value.text(), html_pages, f"home signed out {name}") == []
    assert session_cookie(page, live_server) is None

    page.goto(f"{live_server.url}/my/")
    expect(page.get_by_role("button", name="Email me a sign-in link")).to_be_visible()
    expect(page.get_by_text("Projector will not turn on")).to_have_count(0)


@pytest.mark.parametrize("keep", [False, True], ids=["unticked", "ticked"])
def test_district_sign_on_keeps_the_choice_ticked_beside_the_link(live_server, page, district_sso, keep):
    sub = provider_user(district_sso, "pat-google", **district_claims(PAT))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/tickets/new/")
    box = page.get_by_label(KEEP)
    expect(box).not_to_be_checked()
    if keep:
        box.check()
    page.get_by_role("link", name="Sign in with your district account").click()
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()

    expect(page.get_by_label("Requester")).to_have_value(PAT)
    expires = session_cookie(page, live_server)["expires"]
    if keep:
        assert KEEP_SIGNED_IN_FOR.total_seconds() - 60 < expires - time.time() <= KEEP_SIGNED_IN_FOR.total_seconds()
    else:
        assert expires == -1  # a browser-session cookie
    header_sign_out(page).click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")
    page.goto(f"{live_server.url}/tickets/new/")
    expect(page.get_by_label("Requester")).to_be_enabled()
    expect(page.get_by_label("Requester")).to_have_value("")
