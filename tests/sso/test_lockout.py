"""District single sign-on beside the password lockout (django-axes runs first for every sign-in)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from helpdesk.requester_session import SESSION_KEY
from tests.factories import TechnicianFactory
from tests.sso.provider import DOMAIN, district_claims, provider_user, sign_in_without_browser

pytestmark = pytest.mark.django_db


def test_a_whole_school_of_requesters_signs_in_without_locking_anyone_out(district_sso):
    """Each requester's sign-in is an authentication with no user; none of them counts as a failed password."""
    for number in range(8):
        email = f"teacher{number}@{DOMAIN}"
        client = Client()
        response = sign_in_without_browser(
            client, sub=provider_user(district_sso, f"t{number}", **district_claims(email))
        )
        assert response.status_code == 302 and client.session[SESSION_KEY] == email, number
    assert not AccessAttempt.objects.exists()


def test_a_technician_locked_out_of_passwords_still_signs_in_with_the_district_account(client, district_sso):
    TechnicianFactory(username="casey", email=f"casey@{DOMAIN}")
    for _ in range(6):
        client.post("/accounts/login/", {"username": "casey", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "casey", "password": "wrong"}).status_code == 429

    sub = provider_user(district_sso, "casey", **district_claims(f"casey@{DOMAIN}"))
    response = sign_in_without_browser(client, sub=sub, next_url="/queue/")
    assert response.status_code == 302 and client.get("/queue/").status_code == 200
