"""The requesters' forms: My tickets sign-in, adding information, and "Was it solved?"."""

from django import forms

from district.attachments import attachments_help
from district.fields import AttachmentsFormMixin, CaptchaFormMixin, DistrictEmailField, MultipleFileField
from tickets.models import Ticket


class RequesterEmailForm(CaptchaFormMixin, forms.Form):
    email = DistrictEmailField(
        label="Your district email address",
        error_messages={"required": "Please enter your district email address."},
    )


class AddInformationForm(AttachmentsFormMixin, forms.Form):
    body = forms.CharField(
        label="Add information",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you left off, what changed, or the text of a new error message. Your technician is told.",
        error_messages={"required": "Please write what you want to add."},
    )
    attachments = MultipleFileField(
        label="Attach a file",
        required=False,
        help_text=attachments_help(prefix="Optional. "),
    )


class FeedbackForm(forms.Form):
    answer = forms.ChoiceField(
        label="Was your problem solved?", choices=Ticket.Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="Anything you want to tell us? (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
