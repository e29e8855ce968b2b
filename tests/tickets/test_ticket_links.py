"""A receipt's link opens its one ticket for 30 days; signing keys can rotate without breaking valid links."""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone

from tests.factories import TicketFactory
from tickets.links import ticket_for_link_token, ticket_link_token
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
PAT = "pat.lee@northpanolaschools.org"


def test_a_forwarded_receipt_link_opens_one_ticket_and_not_the_others(
    client, ticket_fields, mailoutbox, django_capture_on_commit_callbacks
):
    other = TicketFactory(number=2200, requester_email=PAT, subject="Laptop battery swells")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/tickets/new/", {**ticket_fields, "requester_email": PAT, "duplicate_choice": "new"})
    ticket = Ticket.objects.exclude(pk=other.pk).get()
    path = re.search(r"http://127\.0\.0\.1:8000(/my/link/\S+/)", mailoutbox[-1].body).group(1)

    colleague = client.__class__()  # the receipt was forwarded: another browser opens it
    assert "Open ticket #" in colleague.get(path).content.decode()
    assert colleague.post(path)["Location"] == f"/my/tickets/{ticket.public_id}/"
    page = colleague.get(f"/my/tickets/{ticket.public_id}/").content.decode()
    assert ticket.subject in page and "Add information" in page
    assert colleague.get(f"/my/tickets/{other.public_id}/").status_code == 404
    listing = colleague.get("/my/").content.decode()  # the list of all tickets needs the one-time link
    assert "Email me a sign-in link" in listing and other.subject not in listing and ticket.subject not in listing


def test_a_receipt_link_works_30_days(client):
    ticket = TicketFactory(requester_email=PAT)
    token = ticket_link_token(ticket)
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert client.post(f"/my/link/{token}/").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = client.post(f"/my/link/{token}/")
        assert response.status_code == 410 and "opens that ticket for 30 days" in response.content.decode()


def test_links_survive_a_key_rotation_with_the_old_key_as_fallback(settings):
    ticket = TicketFactory(requester_email=PAT)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "old-key-" + "x" * 50, []
    token = ticket_link_token(ticket)
    settings.SECRET_KEY = "new-key-" + "y" * 50
    assert ticket_for_link_token(token) is None  # rotated without a fallback: the link is dead
    settings.SECRET_KEY_FALLBACKS = ["old-key-" + "x" * 50]
    assert ticket_for_link_token(token) == ticket


def test_secret_key_fallbacks_come_from_the_environment():
    """DJANGO_SECRET_KEY_FALLBACKS is a comma-separated list (django-environ), read by the real settings module."""
    code = "from django.conf import settings; print('|'.join(settings.SECRET_KEY_FALLBACKS))"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
        "DJANGO_SECRET_KEY": "current",
        "DJANGO_SECRET_KEY_FALLBACKS": "older-one,oldest-one",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "older-one|oldest-one"
