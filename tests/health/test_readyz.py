"""/readyz: 200 with a small JSON body when the help desk can take and deliver tickets, else 503 naming the cause."""

from datetime import timedelta

import pytest
from django.utils import timezone

from health.models import Heartbeat
from health.services import heartbeat_record
from health.tasks import beat_heartbeat_record
from helpdesk.celery import app
from inbound.tasks import inbound_email_poll
from notifications.models import OutboundEmail
from tests.conftest import free_port, wait_until
from tests.inbound.test_mailbox import mailbox  # noqa: F401  (fixture: a real Dovecot mailbox)

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_used():
    """Tasks go through the real Redis, as in production (the suite otherwise runs them in-process)."""
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def broker_down(broker_used, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/15"


def pending_email(*, age: timedelta, status=OutboundEmail.Status.PENDING) -> OutboundEmail:
    key = f"readyz-{age.total_seconds()}-{status}"
    return OutboundEmail.objects.create(
        to="pat.lee@northpanolaschools.org",
        subject="Receipt",
        body_text="Thank you",
        message_id=f"<{key}@test>",
        idempotency_key=key,
        status=status,
        created_at=timezone.now() - age,
    )


def readyz(client, expected_status):
    response = client.get("/readyz")
    assert response.status_code == expected_status, response.content
    assert response["Cache-Control"].startswith("max-age=0")
    return response.json()


def test_ready_without_a_broker_says_what_is_not_used(client):
    """Tasks in-process (no Redis configured): the database and outbox are checked; broker and beat are not used."""
    assert readyz(client, 200) == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "not used", "outbox": "ok", "beat": "not used", "mailbox": "not used"},
    }


@pytest.mark.redis
def test_ready_with_broker_and_recent_beat(client, broker_used):
    heartbeat_record(name=Heartbeat.Name.BEAT)

    body = readyz(client, 200)

    assert body["checks"]["broker"] == "ok" and body["checks"]["beat"] == "ok"


def test_broker_not_answering_is_named(client, broker_down):
    heartbeat_record(name=Heartbeat.Name.BEAT)

    body = readyz(client, 503)

    assert body["status"] == "unavailable"
    assert body["checks"]["broker"] == "the Celery broker (Redis) did not answer"
    assert body["checks"]["database"] == "ok"


@pytest.mark.redis
@pytest.mark.parametrize(
    ("beat_age", "expected"),
    [(None, "Celery beat has not run yet"), (timedelta(minutes=6), "Celery beat last ran 6 minutes ago")],
)
def test_beat_missing_or_stale_is_named(client, broker_used, beat_age, expected):
    if beat_age is not None:
        heartbeat_record(name=Heartbeat.Name.BEAT, at=timezone.now() - beat_age)

    assert readyz(client, 503)["checks"]["beat"] == expected


def test_old_unsent_email_is_named_and_sent_or_recent_ones_are_fine(client, settings):
    settings.HELPDESK_READY_OUTBOX_MAX_AGE_SECONDS = 1800
    pending_email(age=timedelta(hours=5), status=OutboundEmail.Status.SENT)
    pending_email(age=timedelta(hours=5), status=OutboundEmail.Status.FAILED)  # given up: admin's Failed list
    pending_email(age=timedelta(minutes=10))
    assert readyz(client, 200)["checks"]["outbox"] == "ok"

    pending_email(age=timedelta(minutes=45))

    assert readyz(client, 503)["checks"]["outbox"] == "the oldest unsent email has waited 45 minutes"


def test_mailbox_not_polled_recently_is_named_when_configured(client, settings):
    settings.INBOUND_IMAP_URL = "imaps://helpdesk:secret@mail.example.org/INBOX"
    assert readyz(client, 503)["checks"]["mailbox"] == "Help desk mailbox poll has not run yet"

    heartbeat_record(name=Heartbeat.Name.MAILBOX, at=timezone.now() - timedelta(minutes=20))
    assert readyz(client, 503)["checks"]["mailbox"] == "Help desk mailbox poll last ran 20 minutes ago"

    heartbeat_record(name=Heartbeat.Name.MAILBOX)
    assert readyz(client, 200)["checks"]["mailbox"] == "ok"


def test_a_refused_mailbox_sign_in_is_named_at_once_until_a_poll_works(client, settings):
    """Waiting does not fix a refused sign-in, so /readyz does not wait for the heartbeat to go stale."""
    from health.services import heartbeat_failure_record

    settings.INBOUND_IMAP_URL = "imaps://outlook.office365.com/INBOX"
    heartbeat_record(name=Heartbeat.Name.MAILBOX, at=timezone.now() - timedelta(minutes=1))
    heartbeat_failure_record(name=Heartbeat.Name.MAILBOX, error="mailbox sign-in refused: invalid_client: bad secret")
    assert readyz(client, 503)["checks"]["mailbox"] == "mailbox sign-in refused: invalid_client: bad secret"

    heartbeat_record(name=Heartbeat.Name.MAILBOX)
    assert readyz(client, 200)["checks"]["mailbox"] == "ok"


def test_beat_task_records_its_heartbeat():
    beat_heartbeat_record()

    assert timezone.now() - Heartbeat.objects.get(name=Heartbeat.Name.BEAT).recorded_at < timedelta(minutes=1)


@pytest.mark.imap
def test_mailbox_poll_records_its_heartbeat_only_when_it_worked(mailbox, settings):  # noqa: F811
    inbound_email_poll()
    assert Heartbeat.objects.filter(name=Heartbeat.Name.MAILBOX).exists()

    Heartbeat.objects.all().delete()
    settings.INBOUND_IMAP_URL = f"imap://helpdesk:secret@127.0.0.1:{free_port()}/INBOX"
    with pytest.raises(OSError):
        inbound_email_poll()
    assert not Heartbeat.objects.filter(name=Heartbeat.Name.MAILBOX).exists()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_real_worker_with_beat_makes_the_site_ready(client, celery_worker_factory):
    """A Celery worker running beat records the heartbeat within seconds, and /readyz turns 200."""
    celery_worker_factory(beat=True, extra_env={"HELPDESK_BEAT_HEARTBEAT_SECONDS": "1"})
    app.conf.task_always_eager = False  # this process checks the broker too

    assert wait_until(lambda: Heartbeat.objects.filter(name=Heartbeat.Name.BEAT).exists(), timeout=30)
    assert readyz(client, 200)["checks"] == {
        "database": "ok",
        "broker": "ok",
        "outbox": "ok",
        "beat": "ok",
        "mailbox": "not used",
    }
