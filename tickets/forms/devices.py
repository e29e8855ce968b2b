"""The technicians' device forms: attach a device to a ticket, lend a loaner."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from devices.selectors import loaners_available

LOAN_DAYS_DEFAULT = 7


class LoanerLendForm(forms.Form):
    loaner = forms.ModelChoiceField(
        queryset=None,
        label="Loaner",
        empty_label="Choose an available loaner",
        error_messages={"required": "Please choose the loaner you are handing out."},
    )
    borrower = forms.CharField(
        label="Borrower",
        max_length=254,
        help_text="Their district email address or student ID.",
        error_messages={"required": "Please enter who takes the loaner: an email address or a student ID."},
    )
    borrower_email = forms.EmailField(
        label="Email for the reminder",
        required=False,
        help_text="We email this address once, on the due date. For a student, a parent's or teacher's address.",
    )
    due_on = forms.DateField(
        label="Due back on",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Please choose the day the loaner is due back."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaner"].queryset = loaners_available()
        self.fields["due_on"].initial = timezone.localdate() + timedelta(days=LOAN_DAYS_DEFAULT)

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("The due date is in the past; choose today or a later day.")
        return due_on

    def clean(self):
        cleaned = super().clean()
        borrower = cleaned.get("borrower", "")
        if not cleaned.get("borrower_email") and "@" in borrower:
            try:
                cleaned["borrower_email"] = forms.EmailField().clean(borrower)
            except forms.ValidationError:
                pass
        return cleaned
