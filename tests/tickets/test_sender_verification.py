"""Only email our mail server confirmed changes tickets; the rest is held for a technician to accept or discard."""

import pytest
from django.core.checks import run_checks

from notifications.models import InboundEmail, OutboundEmail
from tests.factories import TicketFactory
from tests.tickets.test_inbound import PAT, build, gmail_reply
from tickets.inbound import held_email_accept, inbound_email_process
from tickets.models import HeldEmail, Ticket, TicketEvent
from tickets.services import ticket_close

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome
OURS = "mx.google.com"
REAL_PASS = (
    "mx.google.com; dkim=pass header.i=@northpanolaschools.org header.s=google header.b=Xq3v1; "
    "spf=pass (google.com: domain of pat.lee@northpanolaschools.org designates 209.85.220.41 as permitted sender) "
    "smtp.mailfrom=pat.lee@northpanolaschools.org; "
    "dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=northpanolaschools.org"
)
SOFTFAIL = "mx.google.com; spf=softfail (google.com: domain of transitioning pat.lee@northpanolaschools.org does not designate 203.0.113.9 as permitted sender) smtp.mailfrom=pat.lee@northpanolaschools.org"  # noqa: E501
DMARC_FAIL = (
    "mx.google.com; spf=fail smtp.mailfrom=pat.lee@northpanolaschools.org; "
    "dmarc=fail (p=QUARANTINE sp=QUARANTINE dis=QUARANTINE) header.from=northpanolaschools.org"
)
ATTACKER_BELOW = (
    "mx.google.com; dkim=pass header.d=northpanolaschools.org; dmarc=pass header.from=northpanolaschools.org"
)


def with_results(raw: bytes, *values: str) -> bytes:
    """Add Authentication-Results headers on top, the first value topmost (as each server prepends its own)."""
    return b"".join(f"Authentication-Results: {value}\r\n".encode() for value in values) + raw


@pytest.fixture
def verifying(settings):
    settings.HELPDESK_INBOUND_AUTHSERV_ID = OURS


@pytest.fixture
def open_ticket(db):
    return TicketFactory(number=1500, requester_email=PAT)


def test_a_real_pass_is_processed(verifying, open_ticket):
    result = inbound_email_process(raw=with_results(gmail_reply("Jammed again."), REAL_PASS))

    assert result.outcome == Outcome.REPLY_ADDED
    assert open_ticket.events.get(kind=TicketEvent.Kind.REQUESTER_REPLY).body == "Jammed again."
    assert not HeldEmail.objects.exists()


def test_dkim_pass_signed_by_the_senders_domain_is_enough(verifying, open_ticket):
    header = "mx.google.com; dkim=pass header.d=northpanolaschools.org header.s=sel; spf=softfail smtp.mailfrom=x"
    assert inbound_email_process(raw=with_results(gmail_reply("Jammed."), header)).outcome == Outcome.REPLY_ADDED


@pytest.mark.parametrize(
    "results",
    [
        pytest.param((), id="no-authentication-results"),
        pytest.param((SOFTFAIL,), id="spf-softfail"),
        pytest.param((DMARC_FAIL,), id="dmarc-fail"),
        pytest.param((DMARC_FAIL, ATTACKER_BELOW), id="attacker-header-below-the-real-one"),
        pytest.param(("attacker.example; dkim=pass header.d=northpanolaschools.org",), id="another-servers-header"),
        pytest.param(("mx.google.com; dkim=pass header.d=attacker.example",), id="dkim-pass-for-another-domain"),
        pytest.param(("spf=pass smtp.mailfrom=northpanolaschools.org; dmarc=pass",), id="header-without-authserv-id"),
    ],
)
def test_a_forged_sender_is_held_and_changes_nothing(
    verifying, open_ticket, results, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = inbound_email_process(raw=with_results(gmail_reply("Close all my tickets."), *results))

    assert result.outcome == Outcome.HELD
    assert not open_ticket.events.exists()
    held = HeldEmail.objects.get()
    assert (held.ticket, held.text, held.status, held.from_address) == (
        open_ticket,
        "Close all my tickets.",
        "held",
        PAT,
    )
    assert not OutboundEmail.objects.exists()  # no automatic answer, not even to the assignee
    assert InboundEmail.objects.get().outcome == Outcome.HELD


def test_a_forged_reply_never_reopens_or_answers(verifying, technician, django_capture_on_commit_callbacks, mailoutbox):
    closed = TicketFactory(number=1600, requester_email=PAT)
    ticket_close(acting_user=technician, ticket=closed, resolution="Replaced the toner.")
    OutboundEmail.objects.all().delete()
    raw = with_results(build(subject="Re: [Ticket #1600] Toner", body="It is broken again, please reopen."), SOFTFAIL)

    with django_capture_on_commit_callbacks(execute=True):
        assert inbound_email_process(raw=raw).outcome == Outcome.HELD

    closed.refresh_from_db()
    assert closed.status == Ticket.Status.CLOSED
    assert not OutboundEmail.objects.exists() and not mailoutbox


def test_a_forged_request_by_email_gets_no_answer(verifying, django_capture_on_commit_callbacks):
    raw = build(subject="Projector", body="Please come to room 5", sender="sam.ford@northpanolaschools.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert inbound_email_process(raw=raw).outcome == Outcome.HELD
    assert not OutboundEmail.objects.exists()


def test_accept_on_a_held_reply_adds_it_and_records_who(verifying, open_ticket, technician):
    inbound_email_process(raw=gmail_reply("Jammed again, room 12."))
    held = HeldEmail.objects.get()

    result = held_email_accept(acting_user=technician, held_email_id=held.pk)

    assert result.outcome == Outcome.REPLY_ADDED
    event = open_ticket.events.get(kind=TicketEvent.Kind.REQUESTER_REPLY)
    assert event.body == "Jammed again, room 12."
    assert event.original_email_id == held.original_id  # the whole email stays downloadable
    held.refresh_from_db()
    assert (held.status, held.decided_by, held.decided_at is not None) == ("accepted", technician, True)
    assert held_email_accept(acting_user=technician, held_email_id=held.pk) is None  # never twice


def test_technicians_accept_and_discard_from_the_pages(verifying, open_ticket, technician, tech_client):
    inbound_email_process(raw=gmail_reply("First, from the list."))
    inbound_email_process(raw=gmail_reply("Second, from the ticket page."))
    first, second = HeldEmail.objects.order_by("pk")

    listing = tech_client.get("/queue/held-email/").content.decode()
    ticket_page = tech_client.get("/queue/1500/").content.decode()
    assert "First, from the list." in listing and "Second, from the ticket page." in ticket_page
    assert 'href="/queue/held-email/"' in ticket_page  # the workspace navigation links to the list

    assert tech_client.post(f"/queue/held-email/{first.pk}/discard/").url == "/queue/held-email/"
    response = tech_client.post(f"/queue/held-email/{second.pk}/accept/", {"ticket_number": "1500"})
    assert response.url == "/queue/1500/"

    first.refresh_from_db()
    assert (first.status, first.decided_by) == ("discarded", technician)
    assert list(open_ticket.events.values_list("body", flat=True)) == ["Second, from the ticket page."]
    listing = tech_client.get("/queue/held-email/").content.decode()
    assert "No email is waiting." in listing and "Discarded" in listing and "Casey Jones" in listing
    download = tech_client.get(f"/queue/held-email/{first.pk}/email/")
    assert download["Content-Type"] == "message/rfc822" and b"First, from the list." in download.getvalue()


def test_held_email_pages_are_for_technicians_only(verifying, open_ticket, client, django_user_model):
    inbound_email_process(raw=gmail_reply("Hello"))
    held = HeldEmail.objects.get()
    assert client.get("/queue/held-email/").status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user("visitor"))
    assert client.get("/queue/held-email/").status_code == 403
    assert client.post(f"/queue/held-email/{held.pk}/accept/").status_code == 403
    assert HeldEmail.objects.get().status == "held"


def test_without_the_setting_senders_are_believed_as_before(settings, open_ticket):
    settings.HELPDESK_INBOUND_AUTHSERV_ID = ""
    assert inbound_email_process(raw=gmail_reply("Jammed.")).outcome == Outcome.REPLY_ADDED


def test_check_deploy_warns_when_mail_in_is_not_verified(settings):
    settings.INBOUND_IMAP_URL = "imaps://help:secret@mail.example.org/INBOX"
    settings.HELPDESK_INBOUND_AUTHSERV_ID = ""
    assert "tickets.W011" in [message.id for message in run_checks(include_deployment_checks=True)]
    settings.HELPDESK_INBOUND_AUTHSERV_ID = OURS
    assert "tickets.W011" not in [message.id for message in run_checks(include_deployment_checks=True)]
