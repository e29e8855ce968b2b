"""One log line per request, carrying the request id, the route (never a token-bearing path), ticket and outbox ids."""

import logging
import re
import signal

import pytest

from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def request_lines(caplog) -> list[dict]:
    return [record.request_line for record in caplog.records if record.name == "helpdesk.request"]


def test_submission_line_names_ticket_and_outbox_and_keeps_nginx_request_id(client, ticket_fields, caplog):
    caplog.set_level(logging.INFO, logger="helpdesk.request")
    request_id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"

    response = client.post(
        "/tickets/new/",
        {**ticket_fields, "requester_email": "pat.lee@northpanolaschools.org"},
        headers={"X-Request-ID": request_id},
    )

    assert response.status_code == 302
    assert response["X-Request-ID"] == request_id
    ticket = Ticket.objects.get()
    [line] = request_lines(caplog)
    assert line["method"] == "POST" and line["route"] == "/tickets/new/" and line["status"] == 302
    assert line["ticket"] == str(ticket.number)
    assert line["outbox"] == ",".join(str(pk) for pk in ticket_outbox_ids(ticket))
    # Every other line logged during the request carries the same id.
    assert {record.request_id for record in caplog.records} == {request_id}


def ticket_outbox_ids(ticket):
    from notifications.models import OutboundEmail

    return OutboundEmail.objects.filter(thread=f"ticket:{ticket.number}").order_by("pk").values_list("pk", flat=True)


def test_ticket_page_line_names_the_ticket_and_user(tech_client, technician, caplog):
    from tests.factories import TicketFactory

    ticket = TicketFactory()
    caplog.set_level(logging.INFO, logger="helpdesk.request")

    tech_client.get(f"/queue/{ticket.number}/")

    [line] = request_lines(caplog)
    assert (line["route"], line["ticket"], line["user"], line["outbox"]) == (
        "/queue/<int:number>/",
        str(ticket.number),
        str(technician.pk),
        "-",
    )


def test_token_paths_are_logged_as_their_route_and_bad_request_ids_are_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="helpdesk.request")

    response = client.get("/my/sign-in/secret-token-value/", headers={"X-Request-ID": "bad id\nforged line"})

    [record] = [record for record in caplog.records if record.name == "helpdesk.request"]
    assert "secret-token-value" not in record.getMessage()
    assert record.request_line["route"] == "/my/sign-in/<str:token>/"
    assert len(response["X-Request-ID"]) == 32 and "\n" not in record.request_id


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_lines_about_the_receipt_carry_the_submissions_request_id(
    client, ticket_fields, smtp_server, celery_worker_factory
):
    worker = celery_worker_factory()
    request_id = "5a4b3c2d1e0f5a4b3c2d1e0f5a4b3c2d"

    client.post(
        "/tickets/new/",
        {**ticket_fields, "requester_email": "pat.lee@northpanolaschools.org"},
        headers={"X-Request-ID": request_id},
    )
    smtp_server.wait_for(1, timeout=30)
    worker.send_signal(signal.SIGTERM)
    output = worker.stdout.read().decode(errors="replace")

    assert re.search(rf"\[{request_id}\] .*email_deliver\[[\w-]+\] succeeded", output), output[-3000:]


def test_health_polls_log_at_debug_unless_they_fail(client, settings, caplog):
    caplog.set_level(logging.DEBUG, logger="helpdesk.request")
    client.get("/healthz")
    settings.INBOUND_IMAP_URL = "imaps://helpdesk:secret@mail.example.org/INBOX"  # never polled: not ready
    client.get("/readyz")

    levels = [
        (record.request_line["route"], record.levelname)
        for record in caplog.records
        if record.name == "helpdesk.request"
    ]
    assert levels == [("/healthz", "DEBUG"), ("/readyz", "INFO")]
