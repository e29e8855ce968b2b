"""A requester's session on a shared computer: it ends with the browser unless kept, no browser keeps its pages,
and Sign out is on every page."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk.requester_session import DISTRICT_ACCOUNT_SESSION_KEY, SESSION_KEY
from tests.factories import TicketFactory
from tests.sso.provider import DOMAIN, district_claims, provider_user
from tickets.links import ticket_link_token
from tickets.requester_access import KEEP_SIGNED_IN_FOR

pytestmark = pytest.mark.django_db
PAT = f"pat.lee@{DOMAIN}"
PUBLIC_PAGES = ["/", "/policy/", "/tickets/new/", "/requests/mass-email/", "/requests/media/", "/requests/quote/"]
SIGN_OUT_FORM = 'action="/my/sign-out/"'


def sign_in_by_email_link(client, mailoutbox, django_capture_on_commit_callbacks, *, keep: bool | None):
    """The emailed My tickets link, as a browser uses it; keep=None posts the Sign in form without the box at all."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my/", {"email": PAT})
    path = re.search(r"http://127\.0\.0\.1:8000(/my/sign-in/[^/\s]+/)", mailoutbox[-1].body).group(1)
    page = client.get(path).content.decode()
    assert 'name="keep_signed_in" value="yes"' in page and "checked" not in page  # offered, unticked
    response = client.post(path, {"keep_signed_in": "yes"} if keep else {"keep_signed_in": ""} if keep is False else {})
    assert response["Location"] == "/my/"
    return response


def sign_in_by_district_account(client, sub: str, *, keep: bool):
    """Django's client and requests through the real provider on loopback, with the box ticked or not."""
    start = client.get("/sso/sign-in/", {"next": "/my/", **({"keep_signed_in": "yes"} if keep else {})})
    answer = requests.post(start["Location"], data={"sub": sub}, allow_redirects=False, timeout=5)
    back = urlsplit(answer.headers["Location"])
    response = client.get(back.path, {key: values[0] for key, values in parse_qs(back.query).items()})
    assert response["Location"] == "/my/"
    return response


def session_cookie_max_age(response) -> str:
    return response.cookies[settings.SESSION_COOKIE_NAME]["max-age"]


@pytest.mark.parametrize("keep", [None, False], ids=["box-not-sent", "box-unticked"])
def test_the_email_link_signs_in_until_the_browser_closes(client, mailoutbox, django_capture_on_commit_callbacks, keep):
    response = sign_in_by_email_link(client, mailoutbox, django_capture_on_commit_callbacks, keep=keep)
    assert client.session[SESSION_KEY] == PAT
    assert client.session.get_expire_at_browser_close() is True
    assert session_cookie_max_age(response) == ""  # a browser-session cookie: no Max-Age, no Expires


def test_the_email_link_with_the_box_ticked_keeps_the_session_14_days(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    response = sign_in_by_email_link(client, mailoutbox, django_capture_on_commit_callbacks, keep=True)
    assert client.session.get_expire_at_browser_close() is False
    assert client.session.get_expiry_age() == KEEP_SIGNED_IN_FOR.total_seconds() == 14 * 24 * 3600
    assert session_cookie_max_age(response) == 14 * 24 * 3600


@pytest.mark.parametrize("keep", [False, True], ids=["unticked", "ticked"])
def test_district_sign_on_keeps_the_choice_made_beside_the_button(client, district_defaults, district_sso, keep):
    page = client.get("/tickets/new/").content.decode()
    assert 'id="district-keep-signed-in"' in page and "checked" not in page
    sub = provider_user(district_sso, "pat", **district_claims(PAT))

    response = sign_in_by_district_account(client, sub, keep=keep)

    assert client.session[DISTRICT_ACCOUNT_SESSION_KEY] == PAT
    assert client.session.get_expire_at_browser_close() is not keep
    assert session_cookie_max_age(response) == (14 * 24 * 3600 if keep else "")


def test_a_receipt_link_opens_its_ticket_until_the_browser_closes(client):
    ticket = TicketFactory(requester_email=PAT)
    client.post(f"/my/link/{ticket_link_token(ticket)}/")
    assert client.session.get_expire_at_browser_close() is True


def test_a_receipt_link_does_not_shorten_a_kept_sign_in(client, mailoutbox, django_capture_on_commit_callbacks):
    ticket = TicketFactory(requester_email="someone@northpanolaschools.org")
    sign_in_by_email_link(client, mailoutbox, django_capture_on_commit_callbacks, keep=True)
    client.post(f"/my/link/{ticket_link_token(ticket)}/")
    assert client.session.get_expire_at_browser_close() is False


def test_a_technicians_password_login_is_unchanged(client, technician):
    client.post("/accounts/login/", {"username": technician.username, "password": "correct horse battery staple"})
    assert client.session.get_expire_at_browser_close() is False
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_public_pages_are_never_stored_for_a_signed_in_requester(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """Every page's header offers them Sign out, and the ticket form's duplicate step knows their tickets."""
    sign_in_by_email_link(client, mailoutbox, django_capture_on_commit_callbacks, keep=False)
    responses = {url: client.get(url) for url in PUBLIC_PAGES}
    assert {url: response.status_code for url, response in responses.items()} == dict.fromkeys(PUBLIC_PAGES, 200)
    assert [url for url, response in responses.items() if "no-store" not in response.get("Cache-Control", "")] == []


def test_the_form_filled_in_by_district_sign_on_is_never_stored(client, district_defaults, district_sso):
    sign_in_by_district_account(client, provider_user(district_sso, "pat", **district_claims(PAT)), keep=True)
    response = client.get("/tickets/new/")
    assert f'value="{PAT}"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_public_pages_are_never_stored_after_a_receipt_link(client, district_defaults):
    ticket = TicketFactory(requester_email=PAT)
    client.post(f"/my/link/{ticket_link_token(ticket)}/")
    assert [url for url in PUBLIC_PAGES if "no-store" not in client.get(url).get("Cache-Control", "")] == []


def test_anonymous_visitors_may_keep_public_pages_and_their_session_is_not_read(client, district_defaults):
    """Without a session cookie no page looks the session up, so the cacheable pages cost no session query."""
    for url in PUBLIC_PAGES:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url
        assert SIGN_OUT_FORM not in response.content.decode(), url
        assert [query["sql"] for query in queries if "django_session" in query["sql"]] == [], url
        assert settings.SESSION_COOKIE_NAME not in client.cookies, url


def test_sign_out_is_on_every_page_and_ends_the_whole_session(client, district_defaults, district_sso):
    ticket = TicketFactory(requester_email=PAT)
    sign_in_by_district_account(client, provider_user(district_sso, "pat", **district_claims(PAT)), keep=True)
    for url in [*PUBLIC_PAGES, "/my/", f"/my/tickets/{ticket.public_id}/"]:
        page = client.get(url).content.decode()
        assert re.search(r'action="/my/sign-out/"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken"', page), url
        assert '<button type="submit" class="btn btn-link nav-link">Sign out</button>' in page, url

    response = client.post("/my/sign-out/", follow=True)

    assert response.redirect_chain == [("/", 302)]
    page = response.content.decode()
    assert "You are signed out. To see your tickets again, open My tickets and sign in." in page
    assert SIGN_OUT_FORM not in page
    assert dict(client.session) == {}
    assert "Email me a sign-in link" in client.get("/my/").content.decode()
    assert client.get(f"/my/tickets/{ticket.public_id}/")["Location"] == "/my/"
    assert "disabled" not in str(client.get("/tickets/new/").context["form"]["requester_email"])


def test_sign_out_only_answers_a_post(client):
    assert client.get("/my/sign-out/").status_code == 405


def test_a_technician_sees_log_out_not_the_requester_sign_out(tech_client, district_defaults):
    session = tech_client.session
    session[SESSION_KEY] = "casey@northpanolaschools.org"
    session.save()
    page = tech_client.get("/").content.decode()
    assert "Log out" in page and SIGN_OUT_FORM not in page


@pytest.mark.parametrize("keep, signed_in_next_day", [(False, False), (True, True)], ids=["unkept", "kept"])
def test_an_unkept_session_also_ends_on_the_server_after_twelve_hours(
    client, mailoutbox, django_capture_on_commit_callbacks, keep, signed_in_next_day
):
    """A browser that restores its tabs keeps session cookies; the server forgets an unkept sign-in anyway."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from helpdesk.sessions import BROWSER_SESSION_MAX_AGE

    sign_in_by_email_link(client, mailoutbox, django_capture_on_commit_callbacks, keep=keep)
    assert PAT in client.get("/my/").content.decode()
    with time_machine.travel(timezone.now() + BROWSER_SESSION_MAX_AGE + timedelta(hours=1)):
        assert (PAT in client.get("/my/").content.decode()) is signed_in_next_day
