"""The sign-in flow end to end against the loopback provider, without a browser: Django's client and requests."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from helpdesk.requester_session import SESSION_KEY
from tests.factories import TechnicianFactory, UserFactory
from tests.sso.provider import DOMAIN, district_claims, provider_user, sign_in_without_browser

pytestmark = pytest.mark.django_db
PAT = f"pat.lee@{DOMAIN}"
BUTTON = "Sign in with your district account"


@pytest.mark.parametrize("path", ["/tickets/new/", "/my/", "/accounts/login/"])
def test_without_settings_no_page_shows_the_button(client, district_defaults, path):
    assert BUTTON not in client.get(path).content.decode()


def test_without_settings_the_sign_in_urls_are_not_there(client):
    assert client.get("/sso/sign-in/").status_code == 404
    assert client.get("/sso/callback/", {"code": "x", "state": "y"}).status_code == 404


@pytest.mark.parametrize("path", ["/tickets/new/", "/my/", "/accounts/login/"])
def test_with_settings_the_three_pages_show_the_button(client, district_defaults, district_sso, path):
    assert BUTTON in client.get(path).content.decode()


def test_the_button_is_not_offered_on_a_filled_in_form_where_leaving_would_lose_the_text(
    client, ticket_fields, district_sso
):
    response = client.post("/tickets/new/", {**ticket_fields, "requester_email": "pat@gmail.com"})
    assert response.status_code == 200 and BUTTON not in response.content.decode()


def test_a_requester_is_signed_in_to_my_tickets_without_a_django_user(client, district_sso):
    sub = provider_user(district_sso, "pat", **district_claims(PAT.upper()))

    response = sign_in_without_browser(client, sub=sub, next_url="/my/")

    assert (response.status_code, response["Location"]) == (302, "/my/")
    assert client.session[SESSION_KEY] == PAT
    assert PAT in client.get("/my/").content.decode()
    assert not get_user_model().objects.exists()


def test_a_requester_coming_from_the_technician_login_lands_on_my_tickets(client, district_sso):
    sub = provider_user(district_sso, "pat", **district_claims(PAT))
    response = sign_in_without_browser(client, sub=sub, next_url="/queue/")
    assert response["Location"] == "/my/"


def test_a_requester_gets_a_fixed_requester_field_that_ignores_what_is_posted(client, ticket_fields, district_sso):
    sub = provider_user(district_sso, "pat", **district_claims(PAT))
    sign_in_without_browser(client, sub=sub, next_url="/tickets/new/")

    page = client.get("/tickets/new/").content.decode()
    assert f'value="{PAT}"' in page and "disabled" in page and BUTTON not in page
    response = client.post("/tickets/new/", {**ticket_fields, "requester_email": f"someone.else@{DOMAIN}"})
    assert response.status_code == 302
    from tickets.models import Ticket

    assert Ticket.objects.get().requester_email == PAT


def test_a_signed_in_requesters_address_is_never_kept_for_another_visitor(client, district_defaults, district_sso):
    assert PAT not in client.get("/tickets/new/").content.decode()  # the empty form's fields are now kept
    sub = provider_user(district_sso, "pat", **district_claims(PAT))
    sign_in_without_browser(client, sub=sub, next_url="/tickets/new/")
    page = client.get("/tickets/new/").content.decode()
    assert f'value="{PAT}"' in page and "disabled" in page
    other_visitor = type(client)()
    assert PAT not in other_visitor.get("/tickets/new/").content.decode()


def test_after_signing_out_of_my_tickets_the_requester_field_is_free_again(client, district_defaults, district_sso):
    sub = provider_user(district_sso, "pat", **district_claims(PAT))
    sign_in_without_browser(client, sub=sub)
    client.post("/my/sign-out/")
    assert "disabled" not in str(client.get("/tickets/new/").context["form"]["requester_email"])


def test_a_technician_with_that_email_signs_in_and_keeps_their_groups(client, district_sso):
    technician = TechnicianFactory(username="casey", email=f"Casey.Jones@{DOMAIN}")
    sub = provider_user(district_sso, "casey", **district_claims(f"casey.jones@{DOMAIN}"))

    response = sign_in_without_browser(client, sub=sub)

    assert response["Location"] == "/queue/"
    assert client.get("/queue/").status_code == 200
    technician.refresh_from_db()
    assert not technician.is_staff and not technician.is_superuser
    assert list(technician.groups.values_list("name", flat=True)) == ["Technicians"]
    assert get_user_model().objects.count() == 1


def test_a_user_outside_the_technicians_group_signs_in_but_gets_no_queue(client, district_sso):
    UserFactory(username="office", email=f"office@{DOMAIN}")
    sub = provider_user(district_sso, "office", **district_claims(f"office@{DOMAIN}"))
    sign_in_without_browser(client, sub=sub)
    assert client.get("/queue/").status_code == 403
    assert not Group.objects.filter(user__username="office").exists()


@pytest.mark.parametrize("active_users", [0, 2], ids=["only-inactive", "two-active"])
def test_without_exactly_one_active_user_the_person_is_a_requester(client, district_sso, active_users):
    UserFactory(username="old", email=f"casey@{DOMAIN}", is_active=False)
    for number in range(active_users):
        UserFactory(username=f"casey{number}", email=f"casey@{DOMAIN}")
    sub = provider_user(district_sso, "casey", **district_claims(f"casey@{DOMAIN}"))

    response = sign_in_without_browser(client, sub=sub)

    assert response["Location"] == "/my/"
    assert "_auth_user_id" not in client.session
    assert client.session[SESSION_KEY] == f"casey@{DOMAIN}"


def test_a_deactivated_technician_loses_the_session_at_the_next_request(client, district_sso):
    technician = TechnicianFactory(username="casey", email=f"casey@{DOMAIN}")
    sign_in_without_browser(client, sub=provider_user(district_sso, "casey", **district_claims(f"casey@{DOMAIN}")))
    technician.is_active = False
    technician.save()
    assert client.get("/queue/").status_code == 302


@pytest.mark.parametrize(
    "claims, says",
    [
        ({"email": "pat@gmail.com", "email_verified": True}, "This account is not a district account."),
        ({"email": PAT, "email_verified": True, "hd": "gmail.com"}, "This account is not a district account."),
        ({"email": PAT, "email_verified": False, "hd": DOMAIN}, "not verified by the provider"),
        ({"name": "No Email"}, "did not tell us its email address"),
    ],
    ids=["outside-domain", "other-hosted-domain", "unverified", "no-email"],
)
def test_refused_accounts_get_a_polite_page_and_no_session(client, district_sso, claims, says):
    TechnicianFactory(username="pat", email=PAT)  # even a technician's address does not help an unverified claim
    sub = provider_user(district_sso, "someone", **claims)

    response = sign_in_without_browser(client, sub=sub)

    assert response.status_code == 403
    page = response.content.decode()
    assert says in page and 'role="alert"' in page and "Submit a ticket" in page
    assert SESSION_KEY not in client.session and "_auth_user_id" not in client.session


def test_cancelling_at_the_provider_gets_a_polite_page(client, district_sso):
    response = sign_in_without_browser(client, sub=None, deny=True)
    assert response.status_code == 200
    assert "You did not finish signing in" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_callback_with_an_unknown_state_gets_a_polite_page(client, district_sso):
    client.get("/sso/sign-in/")  # the session now expects one state, and it is not this one
    response = client.get("/sso/callback/", {"code": "made-up", "state": "not-ours"})
    assert response.status_code == 400
    assert "Sign-in did not finish" in response.content.decode()


def test_a_callback_in_a_browser_that_never_started_signing_in_gets_a_polite_page(client, district_sso):
    response = client.get("/sso/callback/", {"code": "made-up", "state": "not-ours"})
    assert response.status_code == 400
    assert "Sign-in did not finish" in response.content.decode()


def test_a_provider_that_does_not_answer_gets_a_polite_page(client, settings, district_sso):
    from tests.conftest import free_port

    settings.HELPDESK_OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    response = client.get("/sso/sign-in/")
    assert response.status_code == 400
    assert "Sign-in did not finish" in response.content.decode()


def test_a_password_login_never_asks_the_provider(client, settings, district_sso):
    """Discovery happens only when someone uses the button: technicians' passwords work while the provider is down."""
    from tests.conftest import free_port

    settings.HELPDESK_OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    TechnicianFactory(username="casey")
    response = client.post("/accounts/login/", {"username": "casey", "password": "correct horse battery staple"})
    assert response.status_code == 302 and client.get("/queue/").status_code == 200
