from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from district.attachments import attachments_help
from district.fields import AttachmentsFormMixin, CaptchaFormMixin, DistrictEmailField, MultipleFileField
from district.models import School, TicketType
from routing.models import RoutingRule
from routing.selectors import (
    building_administrators_for_school,
    district_today,
    earliest_on_time_date,
    staff_role_for_email,
)


def long_date(day: date) -> str:
    return f"{day:%A, %B} {day.day}, {day.year}"


class RuleTesterForm(forms.Form):
    requester_email = forms.EmailField(label="Requester", required=False)
    subject = forms.CharField(max_length=200, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    ticket_type = forms.ModelChoiceField(label="Type", queryset=TicketType.objects.all(), required=False)
    school = forms.ModelChoiceField(queryset=School.objects.all(), required=False)
    at = forms.DateTimeField(
        label="Date and time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="When the request is made (district time). Leave empty for now.",
    )

    def clean_at(self):
        return self.cleaned_data["at"] or timezone.now()


class RequestFormBase(CaptchaFormMixin, AttachmentsFormMixin, forms.Form):
    """What the mass email, media and quote forms share: the requester, the rule's settings, today's date."""

    requester_email = DistrictEmailField(
        label="Requester",
        help_text="Your district email address, for example jdoe@{domain}. We send your receipt there.",
    )

    def __init__(self, *args, rule: RoutingRule, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.today = today or district_today()

    @property
    def earliest_on_time(self) -> date:
        return earliest_on_time_date(requested_on=self.today, lead_business_days=self.rule.lead_business_days or 0)


class EventRequestForm(RequestFormBase):
    event_name = forms.CharField(
        label="Event name", max_length=200, error_messages={"required": "Please enter the name of the event."}
    )
    event_date = forms.DateField(
        label="Event date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Please choose the date of the event.",
            "invalid": "Please enter the date of the event as month/day/year, for example 12/18/2026.",
        },
    )
    event_time = forms.TimeField(
        label="Event time",
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={
            "required": "Please enter the time the event starts.",
            "invalid": "Please enter the time the event starts, for example 6:30 PM.",
        },
    )
    location = forms.CharField(
        label="Location",
        max_length=200,
        help_text="For example “NPHS gym”.",
        error_messages={"required": "Please enter where the event is, for example “NPHS gym”."},
    )


class MassEmailRequestForm(EventRequestForm):
    fee = forms.CharField(
        label="Fee (if charging)", max_length=100, required=False, help_text="For example “$5 at the door”."
    )
    details = forms.CharField(
        label="Details",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the email should say and who should get it.",
        error_messages={"required": "Please write what the email should say and who should get it."},
    )
    attachments = MultipleFileField(
        label="Supporting documents",
        required=False,
        help_text=attachments_help(prefix="Flyers, forms and the like. "),
    )

    def clean_event_date(self) -> date:
        event_date = self.cleaned_data["event_date"]
        if event_date < self.earliest_on_time:
            days = self.rule.lead_business_days
            raise ValidationError(
                f"Mass email requests must come in at least {days} business days before the event, so the "
                f"earliest event date we can take today is {long_date(self.earliest_on_time)}. For a sooner "
                f"event, please share it with your school yourself.",
                code="too_late",
            )
        return event_date


class MediaRequestForm(EventRequestForm):
    NEEDS = [("Photographer", "Photographer"), ("Video", "Video"), ("Flyer", "Flyer")]

    needs = forms.MultipleChoiceField(
        label="What you need",
        choices=NEEDS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Please tick what you need: a photographer, video or a flyer."},
    )
    details = forms.CharField(
        label="Details", widget=forms.Textarea(attrs={"rows": 6}), required=False, help_text="Anything else we need."
    )
    late_acknowledged = forms.BooleanField(label="I understand this cannot be guaranteed", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_late = False

    @property
    def show_late_acknowledged(self) -> bool:
        return self.is_late or bool(self.data.get("late_acknowledged"))

    def clean_event_date(self) -> date:
        event_date = self.cleaned_data["event_date"]
        if event_date <= self.today:
            raise ValidationError(
                "We cannot take media requests on the day of the event or after it. Next time, please send the "
                f"request at least {self.rule.lead_business_days} business days before the event.",
                code="same_day",
            )
        self.is_late = event_date < self.earliest_on_time
        return event_date

    def clean(self):
        cleaned = super().clean()
        if self.is_late and not cleaned.get("late_acknowledged"):
            self.add_error(
                "late_acknowledged",
                ValidationError(
                    f"Media requests need {self.rule.lead_business_days} business days (on time for events from "
                    f"{long_date(self.earliest_on_time)}), so a photographer or delivery cannot be guaranteed. "
                    "Tick “I understand this cannot be guaranteed” to send it anyway.",
                    code="late",
                ),
            )
        return cleaned


class QuoteRequestForm(RequestFormBase):
    school = forms.ModelChoiceField(
        label="School",
        queryset=School.objects.filter(is_active=True),
        empty_label="Choose your school",
        error_messages={"required": "Please choose the school the quote is for."},
    )
    items = forms.CharField(
        label="Items and quantities",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One item per line with how many, for example “Document camera, 4”.",
        error_messages={"required": "Please list the items and how many of each, for example “Document camera, 4”."},
    )
    purpose = forms.CharField(
        label="Purpose",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the items are for.",
        error_messages={"required": "Please tell us what the items are for."},
    )

    def clean(self):
        cleaned = super().clean()
        email, school = cleaned.get("requester_email"), cleaned.get("school")
        if email and school and staff_role_for_email(email=email) not in self.rule.allowed_role_list():
            administrators = building_administrators_for_school(school_id=school.pk)
            ask = (
                " or ".join(f"{person.name} ({person.email})" for person in administrators)
                if administrators
                else "your building administrator"
            )
            raise ValidationError(
                "Quote requests come only from building administrators and district office staff who can make "
                f"purchases. Please ask {ask} to request this quote.",
                code="role",
            )
        return cleaned
