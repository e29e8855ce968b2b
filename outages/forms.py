"""The technicians' outage forms."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from district.models import School, TicketType


class OutageDeclareForm(forms.Form):
    title = forms.CharField(
        max_length=200, help_text="Short and plain, e.g. “Internet down at Green Hill Elementary School”."
    )
    is_district_wide = forms.BooleanField(label="District-wide (every school)", required=False)
    schools = forms.ModelMultipleChoiceField(
        queryset=School.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Affected schools",
    )
    ticket_type = forms.ModelChoiceField(
        queryset=TicketType.objects.filter(is_active=True),
        required=False,
        label="Type",
        empty_label="Any type",
        help_text="Submissions of this type at these schools see the outage before a ticket is made.",
    )
    message = forms.CharField(
        label="Message to staff",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What staff read on the home page, the ticket form and in the email: what is wrong, what to do "
        "meanwhile.",
    )
    reported_by = forms.CharField(
        label="Who called", max_length=200, required=False, help_text="Optional: for an outage reported by phone."
    )
    tickets = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Tickets to link"
    )
    detection = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Declare outage from a ticket's page: kept on POST, so the candidates stay that ticket's school and type.
    ticket = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tickets"].choices = [
            (ticket.pk, f"#{ticket.number} {ticket.subject} ({ticket.school.name}, {ticket.requester_email})")
            for ticket in candidates
        ]

    def clean(self):
        data = super().clean()
        if not data.get("is_district_wide") and not data.get("schools"):
            raise ValidationError("Choose the affected schools, or tick District-wide.")
        return data


class OutageReportRangeForm(forms.Form):
    """As the tickets reports' range (tickets.forms.ReportRangeForm): From before To, two years at most; and no day
    past what the report can count."""

    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))

    MAX_DAYS = 366 * 2  # the tickets reports' cap (apps do not import each other's forms; a test keeps them equal)
    # The report counts up to midnight after To in the district's time zone: the year 9999 would overflow.
    LAST_DAY = date(9998, 12, 31)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise ValidationError("The From date must be on or before the To date.")
        if start and end and (end - start).days > self.MAX_DAYS:
            raise ValidationError("Please choose a range of two years or less.")
        if any(day and day > self.LAST_DAY for day in (start, end)):
            raise ValidationError("Please choose dates before the year 9999.")
        return cleaned


class OutageLinkForm(forms.Form):
    tickets = forms.TypedMultipleChoiceField(
        coerce=int, widget=forms.CheckboxSelectMultiple, label="Open tickets at these schools, of the last day"
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tickets"].choices = [
            (ticket.pk, f"#{ticket.number} {ticket.subject} ({ticket.school.name}, {ticket.requester_email})")
            for ticket in candidates
        ]


class OutageUpdateForm(forms.Form):
    body = forms.CharField(
        label="Update",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone linked or affected gets it by email once; it is a reply on each linked ticket.",
    )


class OutageResolveForm(forms.Form):
    resolution = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Closes every linked ticket with it, and tells each person once.",
    )
