"""A form that creates something does it once per one-time key: a double click, a browser resubmit or the retry
after a lost connection shows the first result and creates or sends nothing again."""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from tests.composer import composer_post
from tests.factories import TicketFactory
from tests.helpdesk.test_db_retry import cut_our_connection
from tickets.models import Ticket

PAT = "pat.lee@northpanolaschools.org"
SUBMIT_URL = "/tickets/new/"
KEY = re.compile(r'name="submission_key" value="([^"]+)"')


def page_key(client, url: str) -> dict:
    """The one-time key the page's form carries, as POST data (empty if the page has none)."""
    found = KEY.search(client.get(url).content.decode())
    return {"submission_key": found.group(1)} if found else {}


def receipts() -> int:
    return OutboundEmail.objects.filter(idempotency_key__startswith="ticket-receipt-").count()


@pytest.mark.django_db
def test_the_ticket_form_posted_twice_with_one_key_gives_one_ticket(client, ticket_fields):
    data = {**ticket_fields, "requester_email": PAT, **page_key(client, SUBMIT_URL)}
    first = client.post(SUBMIT_URL, data)
    again = client.post(SUBMIT_URL, data)  # a double click, or the browser's "resend"

    ticket = Ticket.objects.get()
    assert first["Location"] == again["Location"] == reverse("tickets:submitted", args=[ticket.public_id])
    assert receipts() == 1
    assert f"#{ticket.number}" in client.get(again["Location"]).content.decode()


@pytest.mark.django_db
def test_a_new_page_is_a_new_submission(client, ticket_fields):
    """Each page load has its own key: the same words sent from a fresh form are a second, deliberate ticket."""
    data = {**ticket_fields, "requester_email": PAT, "duplicate_choice": "new"}
    client.post(SUBMIT_URL, {**data, **page_key(client, SUBMIT_URL)})
    client.post(SUBMIT_URL, {**data, **page_key(client, SUBMIT_URL)})
    assert Ticket.objects.count() == 2 and receipts() == 2


@pytest.mark.django_db
def test_a_changed_form_sent_with_an_old_key_is_not_swallowed(client, ticket_fields):
    """After Back, a form edited and sent again with its page's old key is a new submission, not a repeat."""
    data = {**ticket_fields, "requester_email": PAT, "duplicate_choice": "new", **page_key(client, SUBMIT_URL)}
    first = client.post(SUBMIT_URL, data)
    second = client.post(SUBMIT_URL, {**data, "classroom": "14"})
    assert first["Location"] != second["Location"] and Ticket.objects.count() == 2


@pytest.mark.django_db
def test_a_form_with_errors_keeps_its_key_usable(client, ticket_fields):
    data = {**ticket_fields, "requester_email": PAT, **page_key(client, SUBMIT_URL)}
    refused = client.post(SUBMIT_URL, {**data, "description": ""})
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    assert KEY.search(refused.content.decode())  # the corrected form carries a key too

    sent = client.post(SUBMIT_URL, data)  # corrected, with the key of the page that had the errors
    assert sent.status_code == 302 and Ticket.objects.count() == 1
    assert client.post(SUBMIT_URL, data)["Location"] == sent["Location"] and Ticket.objects.count() == 1


@pytest.mark.django_db
def test_the_possible_duplicates_step_does_not_use_up_the_key(client, ticket_fields):
    TicketFactory(requester_email=PAT, subject="Projector in room 12 will not turn on")
    data = {**ticket_fields, "requester_email": PAT, **page_key(client, SUBMIT_URL)}
    asked = client.post(SUBMIT_URL, data)
    assert asked.status_code == 200 and "Is this the same problem" in asked.content.decode()
    assert client.post(SUBMIT_URL, data).status_code == 200  # the same answer again, not a stored result

    chosen = {**data, "duplicate_choice": "new"}
    first = client.post(SUBMIT_URL, chosen)
    assert client.post(SUBMIT_URL, chosen)["Location"] == first["Location"]
    assert Ticket.objects.count() == 2 and receipts() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_right_after_commit_gives_one_ticket_and_one_receipt(
    client, ticket_fields, monkeypatch, caplog
):
    """COMMIT reached the server, then the connection went: the retry must find the work done, not do it again."""
    data = {**ticket_fields, "requester_email": PAT, "duplicate_choice": "new", **page_key(client, SUBMIT_URL)}
    connection = connections["default"]
    commit, cuts = connection._commit, []

    def commit_then_lose_the_connection():
        commit()
        if not cuts:
            cuts.append("cut")
            cut_our_connection()  # the server ends the backend before the client hears that COMMIT succeeded
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "_commit", commit_then_lose_the_connection)
    response = client.post(SUBMIT_URL, data)

    assert cuts == ["cut"]
    ticket = Ticket.objects.get(requester_email=PAT)
    assert response["Location"] == reverse("tickets:submitted", args=[ticket.public_id])
    assert receipts() == 1
    assert "trying once more" in caplog.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_sent_at_the_same_moment_gives_one_ticket(client, ticket_fields, monkeypatch):
    """The second POST waits on the key until the first commits, then answers with the first one's result."""
    data = {**ticket_fields, "requester_email": PAT, "duplicate_choice": "new", **page_key(client, SUBMIT_URL)}
    from tickets.views import submit

    ticket_create = submit.ticket_create

    def slow_ticket_create(**fields):
        time.sleep(0.5)  # long enough for the second click to arrive while the first is still working
        return ticket_create(**fields)

    monkeypatch.setattr(submit, "ticket_create", slow_ticket_create)
    answers, start = [], threading.Barrier(2)

    def click():
        browser = Client()
        browser.cookies = client.cookies
        start.wait()
        try:
            answers.append(browser.post(SUBMIT_URL, data)["Location"])
        finally:
            connections.close_all()

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join(timeout=30)

    assert Ticket.objects.count() == 1 and receipts() == 1
    assert answers == [reverse("tickets:submitted", args=[Ticket.objects.get().public_id])] * 2


@pytest.mark.django_db
def test_a_my_tickets_sign_in_request_sent_twice_sends_one_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    data = {"email": PAT, **page_key(client, "/my/")}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/my/", data)
        again = client.post("/my/", data)
    assert first["Location"] == again["Location"] == reverse("tickets:my_sign_in_sent")
    assert len(mailoutbox) == 1 and OutboundEmail.objects.filter(to=PAT).count() == 1
    assert "a sign-in link is on its way" in client.get(again["Location"]).content.decode()


@pytest.mark.django_db
def test_a_technician_reply_sent_twice_sends_one_email(tech_client, mailoutbox, django_capture_on_commit_callbacks):
    ticket = TicketFactory(number=4200, requester_email=PAT)
    key = page_key(tech_client, reverse("tickets:detail", args=[4200]))
    data = {**composer_post(ticket, body="I will be there at 10."), **key}
    with django_capture_on_commit_callbacks(execute=True):
        first = tech_client.post(reverse("tickets:compose", args=[4200]), data)
        again = tech_client.post(reverse("tickets:compose", args=[4200]), data)
    assert first["Location"] == again["Location"] == ticket.get_absolute_url()
    assert len(mailoutbox) == 1 and ticket.events.filter(kind="reply").count() == 1


@pytest.mark.django_db
def test_add_information_sent_twice_adds_it_once(client):
    from tickets.links import ticket_link_token

    ticket = TicketFactory(requester_email=PAT)
    client.post(f"/my/link/{ticket_link_token(ticket)}/")
    url = f"/my/tickets/{ticket.public_id}/"
    data = {"body": "It is room 14, not 12.", **page_key(client, url)}
    assert client.post(url, data)["Location"] == client.post(url, data)["Location"] == url
    assert ticket.events.filter(body__contains="room 14").count() == 1


@pytest.mark.django_db
def test_keys_are_forgotten_after_a_day(client, ticket_fields):
    from submissions.models import Submission
    from submissions.services import submissions_sweep

    client.post(SUBMIT_URL, {**ticket_fields, "requester_email": PAT, **page_key(client, SUBMIT_URL)})
    assert Submission.objects.count() == 1
    assert submissions_sweep(now=timezone.now() + timedelta(hours=23)) == 0
    assert submissions_sweep(now=timezone.now() + timedelta(hours=25)) == 1


def test_the_sweep_runs_from_beat(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "submissions.tasks.submissions_sweep" in tasks


@pytest.mark.django_db
def test_a_request_form_sent_twice_sends_one_request(client, district_policy):
    from routing.models import RoutingRule, ServiceRequest

    RoutingRule.objects.filter(request_form="mass_email").update(lead_business_days=0)
    event_date = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = {
        "requester_email": PAT,
        "event_name": "Band concert",
        "event_date": event_date,
        "event_time": "18:30",
        "location": "NPHS gym",
        "details": "Winter concert, all welcome.",
        **page_key(client, "/requests/mass-email/"),
    }
    first = client.post("/requests/mass-email/", data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert client.post("/requests/mass-email/", data)["Location"] == first["Location"]
    assert ServiceRequest.objects.count() == 1


@pytest.mark.django_db
def test_the_second_click_without_the_first_answers_cookie_still_opens_the_confirmation(ticket_fields):
    """The browser drops a double click's first answer, and the session cookie it started, for the second one."""
    first_click, second_click, stranger = Client(), Client(), Client()
    data = {**ticket_fields, "requester_email": PAT, **page_key(first_click, SUBMIT_URL)}
    confirmation = first_click.post(SUBMIT_URL, data)["Location"]
    assert second_click.post(SUBMIT_URL, data)["Location"] == confirmation
    assert second_click.get(confirmation).status_code == 200

    stranger.post("/my/", {"email": "someone@northpanolaschools.org"})  # a browser with a session of its own
    assert stranger.post(SUBMIT_URL, data)["Location"] == confirmation
    assert stranger.get(confirmation).status_code == 404  # it keeps its own session


def test_a_repeat_without_a_cookie_never_gets_an_existing_sign_in(client, ticket_fields, district_defaults):
    """Only a session the first POST started is handed over: a signed-in person's session stays theirs."""
    from helpdesk.requester_session import SESSION_KEY
    from submissions.models import Submission

    session = client.session
    session[SESSION_KEY] = "pat.lee@northpanolaschools.org"
    session.save()
    response = client.post(SUBMIT_URL, {**ticket_fields, "requester_email": PAT, "submission_key": "k-signed-in"})
    assert response.status_code == 302
    assert Submission.objects.count() == 1 and Submission.objects.get().session_key == ""
