"""The ticket form's Asset tag or serial: a known device shows kind, model and school only; never its person."""

import pytest

from devices.models import Device
from tests.devices.factories import DeviceFactory
from tests.factories import SchoolFactory
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
LOOKUP_URL = "/devices/lookup/"
PERSON = "jordan.price@northpanolaschools.org"


@pytest.fixture
def device(db):
    return DeviceFactory(
        asset_tag="NP-10442",
        serial_number="5CD2201XYZ",
        school=SchoolFactory(name="Panola High School"),
        room="Room 214",
        assigned_to=PERSON,
        notes="Jordan Price dropped it",
    )


def test_a_known_tag_shows_kind_model_and_school_only(client, device):
    response = client.post(LOOKUP_URL, {"device_tag": "np-10442"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Chromebook, Dell Chromebook 3110, Panola High School" in text
    for secret in (PERSON, "jordan", "Jordan", "Room 214", "dropped"):
        assert secret not in text


def test_a_serial_works_too_and_an_unknown_one_gets_a_gentle_hint(client, device):
    assert "Panola High School" in client.post(LOOKUP_URL, {"device_tag": "5cd2201xyz"}).content.decode()
    hint = client.post(LOOKUP_URL, {"device_tag": "NP-0000"}).content.decode()
    assert "We do not know “NP-0000” yet" in hint and "keep it as you typed it" in hint


def test_the_lookup_is_a_post_only_and_escapes_what_was_typed(client, device):
    assert client.get(LOOKUP_URL, {"device_tag": "NP-10442"}).status_code == 405
    text = client.post(LOOKUP_URL, {"device_tag": "<script>alert(1)</script>"}).content.decode()
    assert "<script>" not in text


def test_the_lookup_is_rate_limited(client, device, settings):
    from helpdesk import ratelimits

    limits = dict(ratelimits.LIMITS)
    ratelimits.LIMITS["device_lookup"] = (ratelimits.Limit("3/h", "ip"),)
    try:
        codes = [client.post(LOOKUP_URL, {"device_tag": "NP-10442"}).status_code for _ in range(5)]
    finally:
        ratelimits.LIMITS.clear()
        ratelimits.LIMITS.update(limits)
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    assert PERSON not in client.post(LOOKUP_URL, {"device_tag": "NP-10442"}).content.decode()


def test_the_form_never_names_the_person(client, device, ticket_fields):
    page = client.get("/tickets/new/").content.decode()
    assert "Asset tag or serial" in page and PERSON not in page
    # A form with an error re-renders what was typed, and still says nothing about the device's person.
    bad = client.post("/tickets/new/", {**ticket_fields, "device_tag": "NP-10442", "requester_email": "x"})
    assert bad.status_code == 200 and PERSON not in bad.content.decode() and "Room 214" not in bad.content.decode()


def test_a_submitted_known_tag_links_the_device_and_an_unknown_one_is_kept_as_typed(client, device, ticket_fields):
    email = {"requester_email": "pat@northpanolaschools.org"}
    client.post("/tickets/new/", {**ticket_fields, **email, "device_tag": " np-10442 "})
    ticket = Ticket.objects.get()
    assert (ticket.device, ticket.device_typed) == (device, "np-10442")
    client.post(
        "/tickets/new/",
        {**ticket_fields, "requester_email": "lee@northpanolaschools.org", "device_tag": "NP-77", "subject": "Other"},
    )
    other = Ticket.objects.exclude(pk=ticket.pk).get()
    assert (other.device, other.device_typed) == (None, "NP-77")
    assert Device.objects.count() == 1


def signed_in(client, email: str) -> None:
    from helpdesk.requester_session import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = email
    session.save()


def test_a_signed_in_requester_picks_from_the_devices_assigned_to_them(client, device, ticket_fields):
    DeviceFactory(asset_tag="NP-OTHER", assigned_to="someone.else@northpanolaschools.org")
    assert "Or pick one of your devices" not in client.get("/tickets/new/").content.decode()
    signed_in(client, PERSON)
    page = client.get("/tickets/new/").content.decode()
    assert "Or pick one of your devices" in page and "NP-10442: Chromebook, Dell Chromebook 3110" in page
    assert "NP-OTHER" not in page
    client.post("/tickets/new/", {**ticket_fields, "requester_email": PERSON, "my_device": "NP-10442"})
    assert Ticket.objects.get().device == device


def test_a_signed_in_requester_cannot_pick_someone_elses_device(client, device, ticket_fields):
    other = DeviceFactory(asset_tag="NP-OTHER", assigned_to="someone.else@northpanolaschools.org")
    signed_in(client, PERSON)
    response = client.post("/tickets/new/", {**ticket_fields, "requester_email": PERSON, "my_device": other.asset_tag})
    assert response.status_code == 200 and Ticket.objects.count() == 0
    assert "someone.else" not in response.content.decode()
