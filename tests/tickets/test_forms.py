from unittest import mock

import pytest
from django.utils.datastructures import MultiValueDict
from django_recaptcha.client import RecaptchaResponse

from tests.files import exe_bytes, png_bytes, upload
from tickets.forms import CHOOSE_FILES_AGAIN, TicketSubmitForm
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def make_form(data, files=None):
    form = TicketSubmitForm(data, files)
    form.is_valid()
    return form


def test_valid_form_normalises_the_requester(ticket_fields):
    """The requester is trimmed and lower-cased before anything is stored."""
    form = make_form({**ticket_fields, "requester_email": "  Pat.Lee@NorthPanolaSchools.org "})
    assert form.errors == {}
    assert form.cleaned_data["requester_email"] == "pat.lee@northpanolaschools.org"


@pytest.mark.parametrize("missing", ["requester_email", "subject", "school", "classroom", "description"])
def test_required_fields_say_what_to_enter(ticket_fields, missing):
    """Requester, Subject, School, Classroom number and Description are required, with a message that helps."""
    data = {**ticket_fields, "requester_email": "pat@northpanolaschools.org", missing: ""}
    form = make_form(data)
    assert list(form.errors) == [missing]
    assert form.errors[missing][0].startswith("Please ")


def test_type_and_priority_are_optional_and_priority_defaults_to_low(ticket_fields):
    data = {**ticket_fields, "requester_email": "pat@northpanolaschools.org", "ticket_type": ""}
    data.pop("priority")
    form = make_form(data)
    assert form.errors == {}
    assert (form.cleaned_data["ticket_type"], form.cleaned_data["priority"]) == (None, Ticket.Priority.LOW)


@pytest.mark.parametrize("description", ["help", "   fix    it  ", "printer!!"])
def test_description_must_say_something(ticket_fields, description):
    """Fewer than 10 non-space characters asks for details and the error message text."""
    form = make_form({**ticket_fields, "requester_email": "pat@northpanolaschools.org", "description": description})
    assert form.errors["description"] == [
        "Please tell us more: what happened, on which device, and the text of any error message."
    ]


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("jdoe@northpanolaschools.com", "We are @northpanolaschools.org, not .com."),
        ("jdoe@northpanolaschool.org", "Did you mean jdoe@northpanolaschools.org?"),
        ("jdoe@gmail.com", "Use your district email address"),
        ("jdoe", "Enter your whole district email address, for example jdoe@northpanolaschools.org."),
        ("j doe@northpanolaschools.org", "This does not look like an email address."),
    ],
)
def test_requester_errors_tell_the_person_what_to_do(ticket_fields, address, message):
    form = make_form({**ticket_fields, "requester_email": address})
    assert form.errors["requester_email"][0].startswith(message)


def test_invalid_form_asks_to_choose_files_again(ticket_fields):
    """Browsers drop chosen files on a re-rendered form, so the field says to choose them again."""
    form = make_form(
        {**ticket_fields, "requester_email": "jdoe@gmail.com"},
        MultiValueDict({"attachments": [upload("a.png", png_bytes())]}),
    )
    assert form.errors["attachments"] == [CHOOSE_FILES_AGAIN]


def test_rejected_file_is_named_and_not_asked_again(ticket_fields):
    form = make_form(
        {**ticket_fields, "requester_email": "pat@northpanolaschools.org"},
        MultiValueDict({"attachments": [upload("notes.pdf", exe_bytes())]}),
    )
    assert form.errors["attachments"][0].startswith("“notes.pdf” is not a type of file we accept.")
    assert CHOOSE_FILES_AGAIN not in form.errors["attachments"]


def test_inactive_school_is_not_offered(ticket_fields):
    from district.models import School

    School.objects.filter(pk=ticket_fields["school"]).update(is_active=False)
    form = make_form({**ticket_fields, "requester_email": "pat@northpanolaschools.org"})
    assert "school" in form.errors


class TestCaptcha:
    @pytest.fixture
    def captcha_on(self, settings):
        settings.RECAPTCHA_ENABLED = True
        settings.RECAPTCHA_PUBLIC_KEY, settings.RECAPTCHA_PRIVATE_KEY = "public-key", "private-key"

    def test_form_has_no_captcha_without_keys(self, settings):
        settings.RECAPTCHA_ENABLED = False
        assert "captcha" not in TicketSubmitForm().fields

    def test_passing_captcha_is_accepted(self, captcha_on, ticket_fields):
        data = {**ticket_fields, "requester_email": "pat@northpanolaschools.org", "g-recaptcha-response": "token"}
        with mock.patch("django_recaptcha.client.submit", return_value=RecaptchaResponse(is_valid=True)) as submit:
            form = make_form(data)
        assert form.errors == {}
        assert submit.call_args.kwargs["private_key"] == "private-key"

    def test_failing_captcha_is_a_form_error(self, captcha_on, ticket_fields):
        data = {**ticket_fields, "requester_email": "pat@northpanolaschools.org", "g-recaptcha-response": "token"}
        failed = RecaptchaResponse(is_valid=False, error_codes=["invalid-input-response"])
        with mock.patch("django_recaptcha.client.submit", return_value=failed):
            form = make_form(data)
        assert list(form.errors) == ["captcha"]

    def test_google_unreachable_is_a_form_error_not_a_crash(self, captcha_on, ticket_fields):
        """Offline, verification raises URLError; the person is asked to try again."""
        import urllib.error

        data = {**ticket_fields, "requester_email": "pat@northpanolaschools.org", "g-recaptcha-response": "token"}
        with mock.patch(
            "django_recaptcha.client.recaptcha_request", side_effect=urllib.error.URLError("Name or service not known")
        ):
            form = make_form(data)
        assert form.errors["captcha"] == [
            "We could not verify that you are not a robot. Please wait a moment and try again."
        ]
