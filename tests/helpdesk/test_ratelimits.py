from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from redis import Redis

from helpdesk import ratelimits
from routing.models import ServiceRequest
from tests.factories import TicketFactory
from tickets.models import Ticket

# Counted in the real Redis (helpdesk.test_settings), as every web process counts in production.
pytestmark = [pytest.mark.django_db, pytest.mark.redis, pytest.mark.usefixtures("district_policy")]
SUBMIT_URL = "/tickets/new/"
SCHOOL_IP = "203.0.113.7"
# A school day mid-morning; the clock stands still, so no rate limit window ends during a test.
MORNING = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("America/Chicago"))


@pytest.fixture(autouse=True)
def still_clock():
    with time_machine.travel(MORNING, tick=False):
        yield


def teacher(number: int) -> str:
    return f"teacher{number}@northpanolaschools.org"


def test_forty_teachers_behind_one_school_address_all_get_their_tickets(client, ticket_fields):
    """A busy school shares one public address: 40 different requesters in one hour are not limited."""
    for number in range(40):
        response = client.post(SUBMIT_URL, {**ticket_fields, "requester_email": teacher(number)}, REMOTE_ADDR=SCHOOL_IP)
        assert response.status_code == 302, (number, response.status_code)
    assert Ticket.objects.count() == 40


def test_a_script_from_one_address_is_stopped(client, ticket_fields):
    """Posting as ever-new requesters from one address: the 201st POST in the hour is refused, and creates nothing."""
    incomplete = {**ticket_fields, "subject": ""}  # refused by the form, so the loop stays cheap; still counted
    for number in range(200):
        response = client.post(SUBMIT_URL, {**incomplete, "requester_email": teacher(number)}, REMOTE_ADDR=SCHOOL_IP)
        assert response.status_code == 200, number
    response = client.post(SUBMIT_URL, {**ticket_fields, "requester_email": teacher(999)}, REMOTE_ADDR=SCHOOL_IP)
    assert response.status_code == 429
    assert not Ticket.objects.exists()
    # Another school is not affected.
    other = client.post(SUBMIT_URL, {**ticket_fields, "requester_email": teacher(999)}, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302


def test_one_requester_is_limited_and_keeps_what_they_typed(client, ticket_fields):
    """The 11th POST for one requester in an hour gets 429, says when to try again, and shows the typed text."""
    data = {**ticket_fields, "requester_email": teacher(1), "description": "Room 12 projector <blinks> orange."}
    for _ in range(10):
        assert client.post(SUBMIT_URL, {**data, "subject": ""}).status_code == 200
    response = client.post(SUBMIT_URL, data)
    content = response.content.decode()
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert 'role="alert"' in content and "Please try again in about" in content and "Nothing was sent" in content
    assert f'value="{teacher(1)}"' in content and "Room 12 projector &lt;blinks&gt; orange." in content
    assert 'value="Projector in room 12 will not turn on"' in content
    assert not Ticket.objects.exists()
    # Someone else at the same school still gets through.
    assert client.post(SUBMIT_URL, {**data, "requester_email": teacher(2)}).status_code == 302


def test_spoofed_forwarded_for_does_not_change_the_counted_address(client):
    """With no trusted proxy, X-Forwarded-For is the client's own text: a new value per POST changes nothing."""
    for number in range(60):
        response = client.post(
            "/my/", {"email": teacher(number)}, REMOTE_ADDR=SCHOOL_IP, HTTP_X_FORWARDED_FOR=f"10.9.{number}.1"
        )
        assert response.status_code == 302, number  # to the Check your email page
    response = client.post("/my/", {"email": teacher(99)}, REMOTE_ADDR=SCHOOL_IP, HTTP_X_FORWARDED_FOR="10.9.99.1")
    assert response.status_code == 429
    assert 'value="teacher99@northpanolaschools.org"' in response.content.decode()


def test_send_this_for_me_is_limited_to_three_an_hour_per_requester(client, ticket_fields, mailoutbox):
    sam = {**ticket_fields, "requester_email": teacher(1), "subject": "SAM password reset", "routing_next": "forward"}
    sam["description"] = "I cannot log in to SAM and my grades are due today."
    for _ in range(3):
        assert client.post(SUBMIT_URL, sam).status_code == 302
    sent = len(mailoutbox)
    response = client.post(SUBMIT_URL, sam)
    assert response.status_code == 429 and "SAM password reset" in response.content.decode()
    assert len(mailoutbox) == sent


def test_request_form_is_limited_per_requester_and_keeps_the_form(client):
    data = {"requester_email": teacher(1), "event_name": "Band concert", "event_date": "2027-01-20"}
    for _ in range(10):
        assert client.post("/requests/mass-email/", data).status_code == 200  # incomplete: refused, but counted
    response = client.post("/requests/mass-email/", data)
    content = response.content.decode()
    assert response.status_code == 429
    assert 'value="Band concert"' in content and "Mass email request" in content and 'role="alert"' in content
    assert not ServiceRequest.objects.exists()


def test_reopen_link_is_limited_per_link(client):
    for _ in range(10):
        assert client.post("/tickets/reopen/not-a-real-token/").status_code == 410
    response = client.post("/tickets/reopen/not-a-real-token/")
    assert response.status_code == 429 and "Please wait a little" in response.content.decode()
    assert client.get("/tickets/reopen/not-a-real-token/").status_code == 410  # opening the link is not counted


@pytest.mark.parametrize(
    ("name", "url", "data"),
    [
        ("routing_check", "/routing/check/", {"subject": "SAM password", "description": ""}),
        ("link_confirm", "/my/sign-in/some-token/", {}),
        ("link_confirm", "/my/link/some-token/", {}),
        ("link_confirm", "/tickets/feedback/some-token/solved/", {}),
        ("my_tickets_sign_in", "/my/", {"email": "pat@northpanolaschools.org"}),
    ],
)
def test_every_public_post_is_counted(client, monkeypatch, name, url, data):
    """Each public endpoint carries its named limit (a limit of 2 here, to show the wiring)."""
    monkeypatch.setitem(ratelimits.LIMITS, name, (ratelimits.Limit("2/h", "ip"),))
    assert client.post(url, data).status_code != 429
    assert client.post(url, data).status_code != 429
    assert client.post(url, data).status_code == 429


def test_add_information_is_limited_and_keeps_the_text(client, monkeypatch):
    ticket = TicketFactory(requester_email=teacher(1))
    session = client.session
    session["requester_email"] = teacher(1)
    session.save()
    monkeypatch.setitem(ratelimits.LIMITS, "my_ticket_add", (ratelimits.Limit("1/h", "session:requester_email"),))
    url = f"/my/tickets/{ticket.public_id}/"
    assert client.post(url, {"body": "It happened again at 9."}).status_code == 302
    response = client.post(url, {"body": "And again at 10."})
    assert response.status_code == 429 and "And again at 10." in response.content.decode()
    assert ticket.events.count() == 1


def test_limits_switched_off_for_load_tests(client, settings, ticket_fields):
    settings.RATELIMIT_ENABLE = False  # HELPDESK_RATE_LIMITS=off
    for _ in range(12):
        assert (
            client.post(SUBMIT_URL, {**ticket_fields, "requester_email": teacher(1), "subject": ""}).status_code == 200
        )


def test_a_cache_that_cannot_be_reached_lets_people_through(client, settings, ticket_fields):
    """Redis down: the forms keep working (logged), rather than every public POST failing."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = client.post(SUBMIT_URL, {**ticket_fields, "requester_email": teacher(1)})
    assert response.status_code == 302


def test_counts_live_in_redis_for_every_process(client, settings, ticket_fields):
    """Another web process sees the same count: it is a key in Redis, not in this process's memory."""
    client.post(SUBMIT_URL, {**ticket_fields, "requester_email": teacher(1)})
    redis = Redis.from_url(settings.CACHES["default"]["LOCATION"])
    assert redis.keys(f"{settings.CACHES['default']['KEY_PREFIX']}:*{settings.RATELIMIT_CACHE_PREFIX}*")
