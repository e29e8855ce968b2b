"""Form fields every app's forms share: the district email address and attachments checked like the ticket form's."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django_recaptcha.fields import ReCaptchaField

from district.attachments import check_uploads
from district.requester_email import requester_email_problem, requester_email_suggestion
from helpdesk.email_address import has_only_ascii, normalize_email

CHOOSE_FILES_AGAIN = "Please choose your files again. Your browser cannot keep them while you correct the form."


class DistrictEmailField(forms.CharField):
    """One district email address, normalized, with advice for a typo in the district's domain."""

    widget = forms.EmailInput(attrs={"autocomplete": "email"})

    def __init__(self, *, help_text: str = "", error_messages: dict | None = None, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(error_messages=error_messages, **kwargs)
        self.help_text_template = help_text
        self.custom_required = bool(error_messages and "required" in error_messages)

    def __deepcopy__(self, memo):
        # Each form gets a copy of its fields: fill in the district's domain then, so settings overrides apply.
        field = super().__deepcopy__(memo)
        domain = settings.HELPDESK_REQUESTER_DOMAIN
        field.help_text = self.help_text_template.format(domain=domain)
        if not self.custom_required:
            field.error_messages["required"] = f"Please enter your district email address, for example jdoe@{domain}."
        return field

    def clean(self, value) -> str:
        typed = super().clean(value)
        domain = settings.HELPDESK_REQUESTER_DOMAIN
        if not has_only_ascii(typed):
            # Unicode case rules could make two different addresses one; district addresses are plain ASCII.
            raise ValidationError(
                "Please type your address with plain letters and digits only (no accents or special letters), "
                f"for example jdoe@{domain}.",
                code="not_ascii",
            )
        address = normalize_email(typed)
        if not address:
            return address  # an optional field left empty
        if "@" not in address:
            raise ValidationError(
                f"Enter your whole district email address, for example {address or 'jdoe'}@{domain}.", code="no_at"
            )
        # The district rule goes first: its advice ("did you mean …") beats a bare "invalid address".
        lookalikes = frozenset(settings.HELPDESK_REQUESTER_DOMAIN_LOOKALIKES)
        problem = requester_email_problem(address, domain=domain, real_lookalikes=lookalikes)
        if problem:
            # The suggestion rides along so a page can offer it as a button that fixes the address.
            suggestion = requester_email_suggestion(address, domain=domain, real_lookalikes=lookalikes)
            # With params Django formats the message with %: a "%" the person typed must stay a plain "%".
            message = problem.replace("%", "%%")
            raise ValidationError(message, code="not_district_email", params={"suggestion": suggestion})
        try:
            validate_email(address)  # one address, nothing else: it becomes an email header
        except ValidationError:
            raise ValidationError(
                f"This does not look like an email address. Please check it, for example jdoe@{domain}.",
                code="invalid",
            ) from None
        return address.rstrip(".")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files; the form checks them together."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class AttachmentsFormMixin:
    """An `attachments` field checked like the ticket form's, with "choose your files again" after errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.files_were_chosen = bool(self.files and self.files.getlist("attachments"))

    def clean_attachments(self) -> list:
        checked, problems = check_uploads(
            self.cleaned_data["attachments"],
            max_files=settings.HELPDESK_ATTACHMENT_MAX_FILES,
            max_bytes=settings.HELPDESK_ATTACHMENT_MAX_BYTES,
            total_max_bytes=settings.HELPDESK_ATTACHMENTS_TOTAL_MAX_BYTES,
        )
        if problems:
            raise ValidationError(problems)
        return checked

    def full_clean(self):
        super().full_clean()
        # Browsers cannot keep chosen files when a form comes back with corrections, so say so at the field.
        if self.files_were_chosen and self._errors and "attachments" not in self._errors:
            self.add_error("attachments", ValidationError(CHOOSE_FILES_AGAIN, code="choose_again"))


class DistrictReCaptchaField(ReCaptchaField):
    """A reCAPTCHA field that turns a failure to reach Google into a form error, not a server error."""

    default_error_messages = {"required": "Please tick “I'm not a robot” and finish its check, then send again."}

    def validate(self, value):
        try:
            super().validate(value)
        except OSError as exc:  # DNS failure, refused connection, timeout: URLError is an OSError
            raise ValidationError(
                "We could not verify that you are not a robot. Please wait a moment and try again.",
                code="captcha_unreachable",
            ) from exc


class CaptchaFormMixin:
    """A `captcha` field on every public form that sends email or creates something, when the keys are set."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Decided per form, not at import, so settings overrides apply in tests and when keys change.
        if settings.RECAPTCHA_ENABLED:
            self.fields["captcha"] = DistrictReCaptchaField(
                label="Confirm you are not a robot",
                public_key=settings.RECAPTCHA_PUBLIC_KEY,
                private_key=settings.RECAPTCHA_PRIVATE_KEY,
            )
