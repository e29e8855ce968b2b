import pytest
from django.urls import reverse

from notifications.models import OutboundEmail
from notifications.services import email_enqueue
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


def test_admin_retry_action_sends_failed_email(admin_client, mailoutbox, django_capture_on_commit_callbacks):
    email = email_enqueue(
        to="pat@northpanolaschools.org",
        template="notifications/email/ticket_receipt",
        context={"ticket": TicketFactory(), "attachments": []},
        idempotency_key="failed-one",
    )
    OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.FAILED, last_error="SMTP down")
    changelist = reverse("admin:notifications_outboundemail_changelist")
    assert "Failed" in admin_client.get(changelist, {"status__exact": "failed"}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            changelist, {"action": "retry_selected", "_selected_action": [email.pk]}, follow=True
        )

    assert "1 failed email(s) queued again." in response.content.decode()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and len(mailoutbox) == 1


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:tickets_ticket_changelist",
        "admin:district_school_changelist",
        "admin:district_tickettype_changelist",
        "admin:tickets_attachment_changelist",
        "admin:notifications_outboundemail_changelist",
    ],
)
def test_admin_pages_open(admin_client, url_name):
    TicketFactory()
    assert admin_client.get(reverse(url_name), {"q": "printer"}).status_code == 200
