"""A PostgreSQL restart cuts the connection a web process holds: the request using it is run once more, and a
session save after the view is retried, so the person sees their page instead of a server error."""

import time

import psycopg2
import pytest
from django.contrib.sessions.models import Session
from django.db import connection

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
