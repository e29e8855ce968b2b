"""A PostgreSQL restart cuts the connection a web process holds: a view that is safe to run twice (a page that only
reads, a form with its one-time key) is run once more, and a session save after the view is retried, so the person
sees their page instead of a server error. Other views are not run twice."""

import logging
import time

import psycopg2
import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection

from helpdesk import db_retry
from helpdesk.sessions import SessionStore
from tickets.models import Ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def cut_our_connection() -> None:
    """End this process's server connection from outside, as a fast shutdown or failover does."""
    connection.ensure_connection()
    pid = connection.connection.get_backend_pid()
    db = connection.settings_dict
    admin = psycopg2.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname=db["NAME"]
    )
    # Autocommit, and no `with admin:` (which opens a transaction even so): inside one transaction pg_stat_activity
    # is read once, and would go on showing the backend after it ended.
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(600):  # up to 30 s: a loaded machine can be slow to end a backend
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    return
                time.sleep(0.05)
    finally:
        admin.close()
    raise AssertionError("the connection did not end")


def test_a_submission_whose_connection_was_cut_is_stored_not_a_server_error(client, ticket_fields):
    client.get("/tickets/new/")
    cut_our_connection()
    response = client.post("/tickets/new/", {**ticket_fields, "requester_email": "pat.lee@northpanolaschools.org"})
    assert response.status_code == 302 and "/tickets/submitted/" in response["Location"]
    assert Ticket.objects.filter(requester_email="pat.lee@northpanolaschools.org").count() == 1


def test_a_page_whose_connection_was_cut_is_served(client, district_policy):
    client.get("/policy/")
    cut_our_connection()
    assert client.get("/policy/").status_code == 200  # it reads the routing rules: the cut connection is used


def test_a_session_saved_on_a_cut_connection_is_saved(db):
    connection.ensure_connection()
    cut_our_connection()
    session = SessionStore()
    session["requester_email"] = "pat.lee@northpanolaschools.org"
    session.save()
    assert Session.objects.filter(session_key=session.session_key).exists()


def test_a_changed_session_saved_on_a_cut_connection_is_saved(db):
    """An existing session's update: Django turns the lost connection into UpdateError (seen in `make faults`)."""
    session = SessionStore()
    session["requester_email"] = "pat.lee@northpanolaschools.org"
    session.save()
    session["submitted"] = [1176]
    cut_our_connection()
    session.save()
    assert SessionStore(session_key=session.session_key).load()["submitted"] == [1176]


def test_a_view_that_did_not_opt_in_is_not_run_twice(tech_client, caplog):
    """The queue's bulk actions carry no one-time key: after a lost connection they fail instead of guessing."""
    tech_client.get("/queue/")
    cut_our_connection()
    tech_client.raise_request_exception = False
    try:
        assert tech_client.post("/queue/bulk/", {"action": "close"}).status_code == 500
    finally:
        connection.close()  # the broken connection, which nothing retried
    assert "trying once more" not in caplog.text


def test_a_view_that_lost_its_connection_still_gets_its_request_log_line(tech_client, caplog):
    """The user cannot be read for the log line either: it is logged as unknown, not a second server error."""
    caplog.set_level(logging.INFO, logger="helpdesk.request")
    tech_client.get("/queue/")
    cut_our_connection()
    tech_client.raise_request_exception = False
    try:
        assert tech_client.post("/queue/bulk/", {"action": "close"}).status_code == 500
    finally:
        connection.close()
    lines = [record.request_line for record in caplog.records if hasattr(record, "request_line")]
    assert lines[-1] | {"ms": 0} == {
        "method": "POST",
        "route": "/queue/bulk/",
        "status": 500,
        "ms": 0,
        "user": "?",
        "ticket": "-",
        "outbox": "-",
    }
    server_errors = [record for record in caplog.records if record.getMessage().startswith("Internal Server Error")]
    assert len(server_errors) == 1  # the view's own; the log line raised nothing


def test_the_retry_waits_at_most_two_seconds_for_the_database(monkeypatch):
    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refused)
    started = time.monotonic()
    assert db_retry.database_answers(timeout=db_retry.WAIT_SECONDS) is False
    assert db_retry.WAIT_SECONDS <= 2 and time.monotonic() - started < 3
