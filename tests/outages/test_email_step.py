"""A request by email while an outage is open: the answer offers “I'm affected too” and “My problem is different”."""

import re

import pytest
import time_machine
from django.utils import timezone

from inbound.processing import inbound_email_process
from notifications.models import InboundEmail
from outages.models import OutagePerson
from outages.services import outage_declare, outage_resolve
from tests.inbound.test_processing import build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outage_wording")]
SAM = "sam.ford@northpanolaschools.org"


@pytest.fixture
def outage(make_tickets, technician):
    tickets = make_tickets(1)
    return outage_declare(
        acting_user=technician,
        title="Internet down at Green Hill",
        message="The fiber line is cut.",
        schools=[tickets[0].school],
        is_district_wide=False,
        ticket_ids=[tickets[0].pk],
    )


def answer_to_request(smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = inbound_email_process(raw=build(subject="No internet", body="Nothing loads in room 5.", sender=SAM))
    assert result.outcome == InboundEmail.Outcome.NEW_REQUEST_ANSWERED
    [message] = [m for m in smtp_server.wait_for(1) if m["To"] == SAM]
    return message.get_body(("plain",)).get_content()


def test_the_answer_lists_the_outage_and_im_affected_too_adds_the_sender(
    outage, client, settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.HELPDESK_BASE_URL = "http://testserver"
    body = answer_to_request(smtp_server, django_capture_on_commit_callbacks)
    assert "Internet down at Green Hill" in body and "My problem is different" in body
    link = re.search(r"http://testserver(/outages/affected/\S+/)", body).group(1)
    page = client.get(link)  # a mail scanner opening the link adds nobody
    assert page.status_code == 200 and "I’m affected too" in page.content.decode()
    assert not OutagePerson.objects.exists()
    response = client.post(link)
    assert response.status_code == 302
    person = OutagePerson.objects.get()
    assert (person.email, person.source) == (SAM, OutagePerson.Source.EMAIL)
    assert "No ticket was created." in client.get(response["Location"]).content.decode()


def test_a_changed_link_or_a_resolved_outage_adds_nobody(
    outage, client, settings, technician, smtp_server, django_capture_on_commit_callbacks
):
    settings.HELPDESK_BASE_URL = "http://testserver"
    body = answer_to_request(smtp_server, django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(/outages/affected/\S+/)", body).group(1)
    assert client.post(link[:-3] + "x/").status_code == 404
    outage_resolve(acting_user=technician, outage=outage, resolution="Fixed.")
    assert client.post(link).status_code == 404
    assert not OutagePerson.objects.exists()


@pytest.mark.redis
def test_im_affected_too_link_is_rate_limited_per_link(
    outage, client, settings, smtp_server, django_capture_on_commit_callbacks
):
    """The link_confirm limit of every emailed link: the 11th POST of one link in an hour is refused."""
    settings.HELPDESK_BASE_URL = "http://testserver"
    body = answer_to_request(smtp_server, django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(/outages/affected/\S+/)", body).group(1)
    with time_machine.travel(timezone.now(), tick=False):  # no rate limit window ends during the test
        for _ in range(10):
            assert client.post(link).status_code == 302
        response = client.post(link)
        assert response.status_code == 429 and "Please wait a little" in response.content.decode()
        assert client.get(link).status_code == 200  # opening the link is not counted
    assert OutagePerson.objects.count() == 1


def test_no_open_outage_no_step_in_the_answer(smtp_server, django_capture_on_commit_callbacks):
    body = answer_to_request(smtp_server, django_capture_on_commit_callbacks)
    assert "I'm affected too" not in body
