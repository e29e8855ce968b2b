"""The technicians' forms: the ticket page, bulk actions on the queue, and the reports' date range."""

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from district.models import School, TicketType
from helpdesk.kept_choices import KeptChoiceField, form_fields_version
from tickets.models import Ticket
from tickets.reference import school_choices, technician_choices, ticket_type_choices


class TicketPageForm(forms.Form):
    """A form on the ticket page, which shows several: each gets its own ids (id_composer-body, id_close-resolution)."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        # Only the ids change, not the posted names, so each form's view reads its fields as before.
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)

    @property
    def fields_version(self) -> str:
        """The cache key of the box's fields (templates/tickets/_kept_fields.html); empty: render them afresh."""
        return form_fields_version(self)


class TicketUpdateForm(TicketPageForm):
    """The ticket page's Details box: priority, type and school; version detects a change saved meanwhile.

    Status and assignee are chosen in the composer; this box sends them back unchanged, hidden, and still checks them.
    """

    id_prefix = "update"
    status = forms.ChoiceField(
        label="Status",
        choices=[choice for choice in Ticket.Status.choices if choice[0] != Ticket.Status.CLOSED],
        widget=forms.HiddenInput,
    )
    priority = forms.TypedChoiceField(label="Priority", choices=Ticket.Priority.choices, coerce=int)
    # Listed and checked from the kept tables (tickets.reference).
    ticket_type = KeptChoiceField(ticket_type_choices, label="Type", queryset=TicketType.objects.all(), required=False)
    school = KeptChoiceField(school_choices, label="School", queryset=School.objects.all())
    assignee = KeptChoiceField(
        technician_choices,
        label="Assignee",
        queryset=User.objects.all(),
        required=False,
        empty_label="Unassigned",
        widget=forms.HiddenInput,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, ticket: Ticket) -> dict:
        return {
            "status": ticket.status,
            "priority": ticket.priority,
            "ticket_type": ticket.ticket_type_id,
            "school": ticket.school_id,
            "assignee": ticket.assignee_id,
            "version": ticket.version,
        }

    def changes(self) -> dict:
        return {
            field: self.cleaned_data[field] for field in ("status", "priority", "ticket_type", "school", "assignee")
        }


class TicketCloseForm(TicketPageForm):
    id_prefix = "close"
    resolution = forms.CharField(
        label="Resolution",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "What was done. The requester receives it by email, and so does the requester of each ticket merged "
            "into this one."
        ),
        error_messages={"required": "Please write the resolution: the requester receives it by email."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class TicketMergeForm(TicketPageForm):
    id_prefix = "merge"
    target_number = forms.IntegerField(
        label="Merge into ticket number",
        min_value=1,
        help_text="This ticket's replies, notes and files move there; this ticket is closed and its requester told.",
        error_messages={"required": "Please enter the number of the ticket to merge into, for example 1042."},
    )

    def clean_target_number(self) -> Ticket:
        number = self.cleaned_data["target_number"]
        target = Ticket.objects.filter(number=number).first()
        if target is None:
            raise ValidationError(f"There is no ticket #{number}. Please check the number.")
        return target


class BulkActionForm(forms.Form):
    ACTIONS = [
        ("assign_me", "Assign to me"),
        ("assign", "Assign to the technician below"),
        ("status", "Change status to"),
        ("priority", "Change priority to"),
        ("close", "Close with the message below"),
    ]

    tickets = forms.ModelMultipleChoiceField(
        queryset=Ticket.objects.all(), error_messages={"required": "Please tick at least one ticket first."}
    )
    action = forms.ChoiceField(label="Action", choices=ACTIONS)
    assignee = KeptChoiceField(technician_choices, label="Technician", queryset=User.objects.all(), required=False)
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Choose a status"), *[c for c in Ticket.Status.choices if c[0] != Ticket.Status.CLOSED]],
        required=False,
    )
    priority = forms.TypedChoiceField(
        label="Priority", choices=[("", "Choose a priority"), *Ticket.Priority.choices], coerce=int, required=False
    )
    message = forms.CharField(label="Closing message", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    @property
    def fields_version(self) -> str:
        """The cache key of the bulk bar's fields (the row checkboxes are the table's, not the bar's)."""
        return form_fields_version(self, leave_out={"tickets"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_bulk-%s")  # the queue's filters above use id_status, id_priority, …
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        cleaned = super().clean()
        needs = {"assign": "assignee", "status": "status", "priority": "priority", "close": "message"}
        needed = needs.get(cleaned.get("action"))
        if needed and not cleaned.get(needed):
            self.add_error(needed, f"Please choose the {self.fields[needed].label.lower()} for this action.")
        return cleaned


class ReportRangeForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))

    MAX_DAYS = 366 * 2

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise ValidationError("The From date must be on or before the To date.")
        if start and end and (end - start).days > self.MAX_DAYS:
            raise ValidationError("Please choose a range of two years or less.")
        if end and end.year >= 9999:  # the reports count up to the day after To, which must exist
            raise ValidationError("Please choose a To date before the year 9999.")
        return cleaned
