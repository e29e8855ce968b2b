import re
import uuid

import pytest
from django.urls import reverse

from notifications.models import OutboundEmail
from tests.files import exe_bytes, pdf_bytes, png_bytes, upload
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
SUBMIT_URL = "/tickets/new/"


def test_home_page_links_to_the_form(client):
    response = client.get("/")
    assert response.status_code == 200
    assert re.search(rb'<a [^>]*href="/tickets/new/"[^>]*>Submit a ticket</a>', response.content)
    assert b"North Panola School District" in response.content and b"Technology Help Desk" in response.content


def test_form_shows_appendix_a_labels(client):
    content = client.get(SUBMIT_URL).content.decode()
    for label in [
        "Requester",
        "Subject",
        "Type",
        "Priority",
        "School",
        "Classroom number",
        "Description",
        "Attach a file",
    ]:
        assert re.search(rf"<label[^>]*>\s*{label}\b", content), label
    assert "We are .org and not .com" in content
    assert "Enter as much information as you can, including the text of any error messages." in content
    assert '<button type="submit"' in content and ">Cancel</a>" in content


def test_submit_creates_ticket_and_shows_its_number(
    client, ticket_fields, django_capture_on_commit_callbacks, mailoutbox
):
    files = [upload("screen.png", png_bytes()), upload("manual.pdf", pdf_bytes())]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SUBMIT_URL, {**ticket_fields, "requester_email": "Pat@NorthPanolaSchools.org", "attachments": files}
        )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:submitted", kwargs={"public_id": ticket.public_id})
    assert ticket.requester_email == "pat@northpanolaschools.org"
    assert sorted(ticket.attachments.values_list("original_name", flat=True)) == ["manual.pdf", "screen.png"]

    page = client.get(response["Location"]).content.decode()
    assert f"Ticket #{ticket.number}" in page
    assert "Please do not submit another ticket for the same problem" in page
    assert [m.subject for m in mailoutbox] == [f"[Ticket #{ticket.number}] We received your request: {ticket.subject}"]
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_invalid_submission_keeps_everything_typed(client, ticket_fields):
    data = {**ticket_fields, "requester_email": "pat@northpanolaschools.com", "classroom": "Library <b>2</b>"}
    response = client.post(SUBMIT_URL, {**data, "attachments": [upload("screen.png", png_bytes())]})
    content = response.content.decode()

    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert 'value="pat@northpanolaschools.com"' in content
    assert 'value="Projector in room 12 will not turn on"' in content
    assert 'value="Library &lt;b&gt;2&lt;/b&gt;"' in content  # escaped, never rendered as markup
    assert ticket_fields["description"] in content
    assert re.search(rf'<option value="{ticket_fields["school"]}" selected>', content)
    assert 'role="alert"' in content and 'aria-invalid="true"' in content
    assert "We are @northpanolaschools.org, not .com." in content
    assert "Please choose your files again." in content


def test_rejected_upload_names_the_file(client, ticket_fields):
    response = client.post(
        SUBMIT_URL,
        {
            **ticket_fields,
            "requester_email": "pat@northpanolaschools.org",
            "attachments": [upload("lesson.pdf", exe_bytes())],
        },
    )
    assert Ticket.objects.count() == 0
    assert "“lesson.pdf” is not a type of file we accept." in response.content.decode()


def test_confirmation_page_is_only_for_the_submitting_browser(client, ticket_fields):
    response = client.post(SUBMIT_URL, {**ticket_fields, "requester_email": "pat@northpanolaschools.org"})
    location = response["Location"]
    assert client.get(location).status_code == 200

    client.cookies.clear()
    assert client.get(location).status_code == 404
    assert client.get(reverse("tickets:submitted", kwargs={"public_id": uuid.uuid4()})).status_code == 404


def test_policy_page_names_the_contacts(client):
    content = client.get("/policy/").content.decode()
    assert "tmangrum@northpanolaschools.org" in content and "Maintenance Help Desk" in content


def test_confirmation_says_how_to_add_what_was_left_off(client, ticket_fields, django_capture_on_commit_callbacks):
    from helpdesk.requester_session import SESSION_KEY

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT_URL, {**ticket_fields, "requester_email": "pat@northpanolaschools.org"})
    ticket = Ticket.objects.get()
    page = client.get(response["Location"]).content.decode()
    # Not signed in: anyone may type an address, so the way on proves it first (receipt link or a sign-in link).
    assert f'<a href="{reverse("tickets:my_tickets")}">sign in to My tickets</a>' in page
    assert reverse("tickets:my_ticket", kwargs={"public_id": ticket.public_id}) not in page

    session = client.session
    session[SESSION_KEY] = "pat@northpanolaschools.org"
    session.save()
    page = client.get(response["Location"]).content.decode()
    link = reverse("tickets:my_ticket", kwargs={"public_id": ticket.public_id})
    assert f'<a href="{link}">Add information to ticket #{ticket.number}</a>' in page
    assert client.get(link).status_code == 200
