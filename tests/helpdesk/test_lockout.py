from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import authenticate

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
START = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("America/Chicago"))
LOCKED_TEXT = "Too many failed attempts; try again in 15 minutes, or ask the help desk administrator"


@pytest.fixture
def casey(technician):
    technician.set_password("the-right-password-42")
    technician.is_staff = True  # so the admin login accepts the right password too
    technician.save()
    return technician


def log_in(client, password: str, *, url: str = "/accounts/login/", address: str = "203.0.113.7"):
    return client.post(url, {"username": "casey", "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_sixth_wrong_password_locks_until_fifteen_minutes_pass(client, casey, url):
    with time_machine.travel(START, tick=False) as clock:
        for attempt in range(5):
            response = log_in(client, "wrong", url=url)
            assert response.status_code == 200 and LOCKED_TEXT not in response.content.decode(), attempt
        locked = log_in(client, "wrong", url=url)
        assert locked.status_code == 429 and LOCKED_TEXT in locked.content.decode()
        assert 'role="alert"' in locked.content.decode()

        refused = log_in(client, "the-right-password-42", url=url)
        assert refused.status_code == 429 and "_auth_user_id" not in client.session

        clock.shift(timedelta(minutes=14))
        assert log_in(client, "the-right-password-42", url=url).status_code == 429
        clock.shift(timedelta(minutes=16))
        allowed = log_in(client, "the-right-password-42", url=url)
        assert allowed.status_code == 302 and client.session["_auth_user_id"] == str(casey.pk)


def test_lockout_is_per_username_and_address(client, casey):
    with time_machine.travel(START, tick=False):
        for _ in range(6):
            log_in(client, "wrong")
        assert log_in(client, "the-right-password-42").status_code == 429
        # The same person from another address (home, another school) can still log in.
        assert log_in(client, "the-right-password-42", address="198.51.100.9").status_code == 302


def test_admin_unlocks_from_admin(client, casey):
    admin = UserFactory(username="ada", is_staff=True, is_superuser=True)
    with time_machine.travel(START, tick=False):
        for _ in range(6):
            log_in(client, "wrong")
        attempt = AccessAttempt.objects.get(username="casey")
        client.force_login(admin)
        listing = client.get("/admin/axes/accessattempt/")
        assert listing.status_code == 200 and "casey" in listing.content.decode()
        response = client.post(
            "/admin/axes/accessattempt/",
            {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
        )
        assert response.status_code == 302 and not AccessAttempt.objects.exists()
        client.logout()
        assert log_in(client, "the-right-password-42").status_code == 302


def test_sign_in_without_a_password_is_never_counted_or_locked(casey, client, rf):
    """District single sign-on authenticates with a code, not a password; its failures are not password guesses."""
    with time_machine.travel(START, tick=False):
        for _ in range(6):
            log_in(client, "wrong")  # this address is locked for casey's password
        for _ in range(8):
            request = rf.get("/sso/callback/", {"code": "abc", "state": "xyz"}, REMOTE_ADDR="203.0.113.7")
            assert authenticate(request, nonce="n", code_verifier="v") is None  # no backend takes it: a failure
        assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [("casey", 6)]
