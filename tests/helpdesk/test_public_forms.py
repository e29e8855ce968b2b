"""Every public form that sends email or creates something: captcha when keys are set, and no outside recipients."""

from datetime import datetime
from email.utils import getaddresses
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.conf import settings
from django_recaptcha.client import RecaptchaResponse

from notifications.models import OutboundEmail
from routing.forms import MassEmailRequestForm, MediaRequestForm, QuoteRequestForm
from routing.models import Contact, Role, ServiceRequest
from tests.factories import SchoolFactory
from tests.routing.factories import StaffMemberFactory
from tickets.forms import RequesterEmailForm, TicketSubmitForm
from tickets.models import RequesterSignIn, Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("district_policy")]
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("America/Chicago"))
PRINCIPAL = "boss@northpanolaschools.org"
EVENT = {"event_name": "Band concert", "event_time": "18:30", "location": "NPHS gym", "details": "All welcome."}


@pytest.fixture(autouse=True)
def frozen_monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def public_forms(ticket_fields):
    """(name, url, form class, valid POST data, what a successful POST creates)."""
    school = SchoolFactory(name="Crenshaw Elementary School")
    StaffMemberFactory(email=PRINCIPAL, name="Dana Boss", role=Role.PRINCIPAL, school=school)
    sam = {**ticket_fields, "subject": "SAM password reset", "description": "I cannot log in to SAM at all today."}
    return [
        ("Submit a ticket", "/tickets/new/", TicketSubmitForm, {**ticket_fields, "requester_email": PRINCIPAL}, Ticket),
        (
            "Send this to NAME for me",
            "/tickets/new/",
            TicketSubmitForm,
            {**sam, "requester_email": PRINCIPAL, "routing_next": "forward"},
            None,
        ),
        (
            "Mass email request",
            "/requests/mass-email/",
            MassEmailRequestForm,
            {**EVENT, "requester_email": PRINCIPAL, "event_date": "2026-12-16"},
            ServiceRequest,
        ),
        (
            "Media request",
            "/requests/media/",
            MediaRequestForm,
            {**EVENT, "requester_email": PRINCIPAL, "event_date": "2026-12-14", "needs": ["Video"]},
            ServiceRequest,
        ),
        (
            "Quote request",
            "/requests/quote/",
            QuoteRequestForm,
            {"requester_email": PRINCIPAL, "school": school.pk, "items": "Document camera, 4", "purpose": "Science"},
            ServiceRequest,
        ),
        ("My tickets sign-in", "/my/", RequesterEmailForm, {"email": PRINCIPAL}, RequesterSignIn),
    ]


def form_case(public_forms, name):
    return next(case for case in public_forms if case[0] == name)


@pytest.mark.parametrize(
    "name", ["Submit a ticket", "Mass email request", "Media request", "Quote request", "My tickets sign-in"]
)
def test_each_public_form_has_the_captcha_when_keys_are_set(client, settings, public_forms, mailoutbox, name):
    """The widget shows; a POST without solving it creates and sends nothing; solved, the form goes through."""
    settings.RECAPTCHA_ENABLED = True
    settings.RECAPTCHA_PUBLIC_KEY, settings.RECAPTCHA_PRIVATE_KEY = "public-key", "private-key"
    _, url, _, data, created = form_case(public_forms, name)
    assert 'class="g-recaptcha"' in client.get(url).content.decode()

    refused = client.post(url, data)
    assert refused.status_code == 200 and "Please tick “I&#x27;m not a robot”" in refused.content.decode()
    assert not created.objects.exists() and not OutboundEmail.objects.exists()

    with mock.patch("django_recaptcha.client.submit", return_value=RecaptchaResponse(is_valid=True)) as submit:
        accepted = client.post(url, {**data, "g-recaptcha-response": "solved"})
    assert submit.call_args.kwargs["private_key"] == "private-key"
    assert accepted.status_code in (200, 302) and created.objects.exists()


def test_no_captcha_without_keys(client, settings, public_forms):
    settings.RECAPTCHA_ENABLED = False
    for _, url, *_ in public_forms:
        assert "g-recaptcha" not in client.get(url).content.decode(), url


OUTSIDE_ADDRESSES = [
    "mallory@evil.example",
    "Mallory@Evil.Example ",
    "pat@northpanolaschools.org.evil.example",
    "pat@northpanolaschools.org, mallory@evil.example",
    "pat@northpanolaschools.org\r\nBcc: mallory@evil.example",
    "Pat Lee <mallory@evil.example>",
    "mallory@evil.example (pat@northpanolaschools.org)",
    '"pat@northpanolaschools.org"@evil.example',
    "mallory%northpanolaschools.org@evil.example",
]


def email_fields(form_class) -> list[str]:
    return [
        name
        for name, field in form_class.base_fields.items()
        if "email" in name or isinstance(field, forms.EmailField) or isinstance(field.widget, forms.EmailInput)
    ]


def test_no_public_form_makes_the_help_desk_email_an_outside_address(
    client, public_forms, mailoutbox, django_capture_on_commit_callbacks
):
    """Every email-ish field of every public form, given outside addresses: mail goes only to the district."""
    contacts = {email.lower() for email in Contact.objects.exclude(email="").values_list("email", flat=True)}
    walked = 0
    with django_capture_on_commit_callbacks(execute=True):
        for name, url, form_class, data, _ in public_forms:
            fields = email_fields(form_class)
            assert fields, f"{name} has an email field to try"
            for field in fields:
                for address in OUTSIDE_ADDRESSES:
                    response = client.post(url, {**data, field: address})
                    assert response.status_code in (200, 302), (name, field, address)
                    walked += 1
            assert client.post(url, data).status_code in (200, 302), (
                name
            )  # the same form does send for a district address
    assert walked == len(OUTSIDE_ADDRESSES) * 6

    recipients = set()
    for message in mailoutbox:
        headers = [*message.to, *message.cc, *message.bcc, *message.reply_to]
        recipients |= {address.lower() for _, address in getaddresses(headers)}
    for email in OutboundEmail.objects.all():
        recipients |= {address.lower() for _, address in getaddresses([email.to, email.reply_to]) if address}
    assert mailoutbox and recipients
    outside = {
        address
        for address in recipients
        if not address.endswith(f"@{settings.HELPDESK_REQUESTER_DOMAIN}") and address not in contacts
    }
    assert outside == set()
    assert "evil.example" not in "".join(str(message.message()) for message in mailoutbox)
