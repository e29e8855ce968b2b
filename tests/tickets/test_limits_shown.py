"""The time limits pages and emails state come from the constants the code enforces, so they cannot drift apart."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db

EMAILS = [
    ("notifications/email/ticket_closed", "tickets.links.REOPEN_MAX_AGE", timedelta(days=21), "14 days"),
    ("notifications/email/ticket_reply_after_close", "tickets.links.REOPEN_MAX_AGE", timedelta(days=21), "14 days"),
    ("notifications/email/service_request", "routing.services.REQUEST_FILE_LINK_DAYS", 21, "90 days"),
    ("notifications/email/routing_forward", "routing.services.REQUEST_FILE_LINK_DAYS", 21, "90 days"),
]


@pytest.mark.parametrize(("template", "constant", "value", "old"), EMAILS)
def test_emails_state_the_limit_the_code_enforces(monkeypatch, template, constant, value, old):
    monkeypatch.setattr(constant, value)
    file = SimpleNamespace(original_name="flyer.pdf", size=1000)
    context = {"ticket": TicketFactory(), "reopen_url": "https://example.org/r", "files": [(file, "token")]}
    for suffix in (".txt", ".html"):
        body = render_to_string(template + suffix, context)
        assert "21 days" in body and old not in body, template + suffix


@pytest.mark.parametrize(
    ("url", "constant", "value", "said", "old"),
    [
        ("/tickets/reopen/forged/", "tickets.links.REOPEN_MAX_AGE", timedelta(days=10), "10 days", "14 days"),
        ("/tickets/feedback/forged/solved/", "tickets.links.FEEDBACK_MAX_AGE", timedelta(days=1), "1 day", "30 days"),
        ("/my/", "tickets.requester_access.SIGN_IN_LIFETIME", timedelta(minutes=20), "20 minutes", "15 minutes"),
    ],
)
def test_pages_state_the_limit_the_code_enforces(client, monkeypatch, url, constant, value, said, old):
    monkeypatch.setattr(constant, value)
    content = client.get(url).content.decode()
    assert said in content and old not in content
