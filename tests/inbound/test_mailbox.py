"""The beat task reads a real IMAP mailbox (Debian's Dovecot on loopback) and never processes a message twice."""

import imaplib
import time

import pytest

from inbound.mailbox import MailboxSettings
from inbound.tasks import inbound_email_poll
from notifications.models import InboundEmail
from tests.factories import TicketFactory
from tests.imap_server import DovecotServer
from tests.inbound.test_processing import PAT, build, gmail_reply
from tickets.models import TicketEvent

pytestmark = [pytest.mark.django_db, pytest.mark.imap]


@pytest.fixture
def mailbox(settings):
    server = DovecotServer().start()
    settings.INBOUND_IMAP_URL = server.url
    yield server
    server.stop()


def deliver(server, *messages):
    client = imaplib.IMAP4("127.0.0.1", server.port)
    client.login(server.user, server.password)
    for raw in messages:
        client.append("INBOX", None, imaplib.Time2Internaldate(time.time()), raw)
    client.logout()


def folder_count(server, folder):
    client = imaplib.IMAP4("127.0.0.1", server.port)
    client.login(server.user, server.password)
    status, data = client.status(folder, "(MESSAGES)")
    client.logout()
    return int(data[0].split()[-1].rstrip(b")")) if status == "OK" else 0


def test_poll_processes_messages_and_moves_them_to_processed(mailbox):
    ticket = TicketFactory(number=1500, requester_email=PAT)
    deliver(
        mailbox,
        gmail_reply("Printed fine after the restart, but now it is jammed again."),
        build(subject="Projector", body="Please come to room 5", sender="sam.ford@northpanolaschools.org"),
        build(sender="someone@gmail.com", body="Buy now"),
    )

    assert inbound_email_poll() == 3
    assert ticket.events.filter(kind=TicketEvent.Kind.REQUESTER_REPLY).count() == 1
    assert sorted(InboundEmail.objects.values_list("outcome", flat=True)) == ["new_request", "outside", "reply_added"]
    assert (folder_count(mailbox, "INBOX"), folder_count(mailbox, "Processed")) == (0, 3)

    assert inbound_email_poll() == 0  # nothing left; nothing processed twice
    assert InboundEmail.objects.count() == 3


def test_a_message_left_in_the_inbox_is_not_processed_twice(mailbox):
    """If the move failed last time, the Message-ID record stops a second reply on the ticket."""
    ticket = TicketFactory(number=1500, requester_email=PAT)
    raw = gmail_reply("Only once please.")
    deliver(mailbox, raw)
    inbound_email_poll()
    deliver(mailbox, raw)  # the same message again, as after a failed move
    inbound_email_poll()
    assert ticket.events.filter(kind=TicketEvent.Kind.REQUESTER_REPLY).count() == 1


def test_mailbox_settings_read_the_url():
    config = MailboxSettings.from_url("imaps://help%40npsd:p%40ss@mail.example.org/Help%20Desk")
    assert (config.host, config.port, config.user, config.password, config.folder, config.use_ssl) == (
        "mail.example.org",
        993,
        "help@npsd",
        "p@ss",
        "Help Desk",
        True,
    )
    with pytest.raises(ValueError):
        MailboxSettings.from_url("pop3://x@y/INBOX")


def test_a_message_that_cannot_be_processed_is_set_aside(mailbox, monkeypatch):
    """One bad message goes to the Failed folder; the messages behind it are still read."""
    import inbound.mailbox

    real = inbound.mailbox.inbound_email_process

    def process(*, raw):
        if b"BOOM" in raw:
            raise ValueError("cannot parse")
        return real(raw=raw)

    monkeypatch.setattr(inbound.mailbox, "inbound_email_process", process)
    TicketFactory(number=1500, requester_email=PAT)
    deliver(mailbox, build(body="BOOM"), gmail_reply("Still jammed."))
    assert inbound_email_poll() == 1
    assert (folder_count(mailbox, "INBOX"), folder_count(mailbox, "Failed"), folder_count(mailbox, "Processed")) == (
        0,
        1,
        1,
    )


def test_poll_holds_a_forged_reply_and_adds_a_verified_one(mailbox, settings, technician):
    """The whole path through the real IMAP server: only the reply our mail server confirmed reaches the ticket."""
    from inbound.models import HeldEmail
    from tests.inbound.test_sender_verification import ATTACKER_BELOW, DMARC_FAIL, REAL_PASS, with_results

    settings.HELPDESK_INBOUND_AUTHSERV_ID = "mx.google.com"
    ticket = TicketFactory(number=1500, requester_email=PAT)
    deliver(
        mailbox,
        with_results(gmail_reply("Verified: still jammed."), REAL_PASS),
        with_results(gmail_reply("Forged: please close this ticket."), DMARC_FAIL, ATTACKER_BELOW),
    )

    assert inbound_email_poll() == 2
    assert list(ticket.events.values_list("body", flat=True)) == ["Verified: still jammed."]
    held = HeldEmail.objects.get()
    assert held.text == "Forged: please close this ticket."
    assert folder_count(mailbox, "Processed") == 2
