"""No live link (sign-in, per-ticket, reopen, feedback, confirm) can be read back from the outbox or admin."""

import re

import pytest
from django.urls import reverse

from notifications.models import OutboundEmail
from notifications.services import email_deliver, email_enqueue
from tests.factories import TicketFactory
from tickets.services import ticket_close

pytestmark = pytest.mark.django_db
PAT = "pat.lee@northpanolaschools.org"
LINK = re.compile(
    r"http://127\.0\.0\.1:8000/(my/sign-in|my/link|tickets/reopen|tickets/feedback|tickets/add)/[^\s\"<]+"
)


def stored_text(email: OutboundEmail) -> str:
    return " ".join([email.subject, email.body_text, email.body_html, str(email.secret_values)])


def test_sign_in_link_is_never_stored_in_the_body_and_leaves_after_sending(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my/", {"email": PAT})
    [sent] = mailoutbox
    link = LINK.search(sent.body).group(0)
    assert link in sent.alternatives[0].content  # the person gets a working link in both parts
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.SENT
    assert "/my/sign-in/" not in stored_text(email) and email.secret_values == {}
    assert "[[secret:sign_in_url]]" in email.body_text


def test_a_pending_email_keeps_its_link_only_until_sent(mailoutbox):
    email = email_enqueue(
        to=PAT,
        template="notifications/email/requester_sign_in",
        context={"has_tickets": True, "minutes": 15},
        secrets={"sign_in_url": "http://127.0.0.1:8000/my/sign-in/live-token/"},
        idempotency_key="secret-test",
    )
    assert "live-token" not in email.body_text + email.body_html and email.secret_values
    email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.secret_values == {} and "live-token" in mailoutbox[0].body


def test_closing_email_links_are_not_readable_after_sending(technician, mailoutbox, django_capture_on_commit_callbacks):
    ticket = TicketFactory(requester_email=PAT)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_close(acting_user=technician, ticket=ticket, resolution="Replaced the lamp.")
    body = mailoutbox[-1].body
    assert "/tickets/reopen/" in body and "/tickets/feedback/" in body and "/my/link/" in body
    for email in OutboundEmail.objects.all():
        assert not LINK.search(stored_text(email)), email.subject


def test_admin_never_shows_a_live_link(admin_client, client, ticket_fields, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # still pending: the link is in secret_values
        client.post("/tickets/new/", {**ticket_fields, "requester_email": PAT})
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.PENDING and email.secret_values["ticket_url"]
    page = admin_client.get(reverse("admin:notifications_outboundemail_change", args=[email.pk])).content.decode()
    assert email.subject.split("]")[0] in page
    assert email.secret_values["ticket_url"] not in page and "/my/link/" not in page
    listing = admin_client.get(reverse("admin:notifications_outboundemail_changelist")).content.decode()
    assert "/my/link/" not in listing


def test_a_retried_email_whose_link_was_cleared_points_home(mailoutbox, settings):
    email = email_enqueue(
        to=PAT,
        template="notifications/email/requester_sign_in",
        context={"has_tickets": True, "minutes": 15},
        secrets={"sign_in_url": "http://127.0.0.1:8000/my/sign-in/gone/"},
        idempotency_key="secret-cleared",
    )
    OutboundEmail.objects.filter(pk=email.pk).update(secret_values={})
    email_deliver(email_id=email.pk)
    assert "[[secret:" not in mailoutbox[0].body and f"{settings.HELPDESK_BASE_URL}/" in mailoutbox[0].body


def test_over_real_smtp_the_link_arrives_and_the_table_keeps_none(
    client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my/", {"email": PAT})
    [message] = smtp_server.wait_for(1)
    assert LINK.search(message.get_body(("plain",)).get_content())
    assert LINK.search(message.get_body(("html",)).get_content())
    for row in OutboundEmail.objects.values_list("subject", "body_text", "body_html", "secret_values"):
        assert not LINK.search(" ".join(map(str, row)))
