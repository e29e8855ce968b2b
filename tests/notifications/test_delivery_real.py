"""End to end through the real services: Redis, a Celery worker process, PostgreSQL and an SMTP server."""

import time

import pytest
from django.conf import settings
from kombu import pools as kombu_pools

from helpdesk.celery import app
from notifications.models import OutboundEmail
from tests.conftest import free_port, wait_until
from tickets.models import Ticket

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def submit(client, ticket_fields) -> Ticket:
    response = client.post("/tickets/new/", {**ticket_fields, "requester_email": "pat.lee@northpanolaschools.org"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Ticket.objects.get()


def test_receipt_reaches_smtp_through_a_real_worker(client, ticket_fields, smtp_server, celery_worker_factory):
    celery_worker_factory()
    ticket = submit(client, ticket_fields)

    [message] = smtp_server.wait_for(1, timeout=30)
    assert message["To"] == "pat.lee@northpanolaschools.org"
    assert f"[Ticket #{ticket.number}]" in message["Subject"]
    assert f"#{ticket.number}" in message.get_body(("plain",)).get_content()
    assert wait_until(lambda: OutboundEmail.objects.get().status == OutboundEmail.Status.SENT)


@pytest.fixture
def broker_unreachable():
    """Point this process's Celery at a closed port, as when Redis is down; restore it afterwards."""
    real_url = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/15"
    app.conf.task_always_eager = False
    app.pool.force_close_all()
    app._pool = None
    yield
    app.conf.broker_url = real_url
    app.conf.task_always_eager = True
    app._pool = None
    # The producer pool was closed with the connection pool above; later tests that publish need fresh ones.
    app.amqp._producer_pool = None
    kombu_pools.reset()


def test_broker_down_saves_ticket_and_beat_delivers_later(
    client, ticket_fields, smtp_server, broker_unreachable, celery_worker_factory, caplog
):
    """With Redis unreachable the ticket is saved and the page answers quickly; beat delivers the receipt later."""
    started = time.monotonic()
    ticket = submit(client, ticket_fields)
    elapsed = time.monotonic() - started

    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.PENDING and email.attempts == 0
    assert elapsed < 10, f"submitting took {elapsed:.1f}s with the broker down"
    assert smtp_server.messages == []
    assert any("queue_delivery" in record.getMessage() for record in caplog.records)  # the publish did fail

    # Redis is back: a worker with beat picks the row up on its next email_send_due run.
    celery_worker_factory(beat=True, extra_env={"HELPDESK_EMAIL_SEND_DUE_SECONDS": "1"})
    [message] = smtp_server.wait_for(1, timeout=30)
    assert f"[Ticket #{ticket.number}]" in message["Subject"]
    assert wait_until(lambda: OutboundEmail.objects.get().status == OutboundEmail.Status.SENT)
    assert settings.CELERY_TASK_DEFAULT_QUEUE.startswith("helpdesk-test-")
