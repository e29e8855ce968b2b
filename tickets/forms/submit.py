"""The public ticket form."""

from django import forms
from django.core.exceptions import ValidationError

from district.attachments import attachments_help
from district.fields import (  # noqa: F401  DistrictReCaptchaField: re-exported by tickets.forms
    CHOOSE_FILES_AGAIN,
    AttachmentsFormMixin,
    CaptchaFormMixin,
    DistrictEmailField,
    DistrictReCaptchaField,
    MultipleFileField,
)
from district.models import School, TicketType
from helpdesk.kept_choices import KeptChoiceField, form_fields_version
from routing.selectors import RoutingMatch, RoutingOutcome, routing_outcome_for_request
from tickets.models import Ticket
from tickets.pending_uploads import pending_uploads_load
from tickets.reference import school_choices_active, ticket_type_choices_active

DESCRIPTION_MIN_CHARACTERS = 10


class TicketSubmitForm(CaptchaFormMixin, AttachmentsFormMixin, forms.Form):
    """Appendix A's form, with the district's rules checked before a ticket exists."""

    requester_email = DistrictEmailField(
        label="Requester",
        help_text="Your district email address. We are .org and not .com, for example jdoe@{domain}.",
    )
    subject = forms.CharField(
        error_messages={
            "required": "Please enter a brief subject, for example “Projector in room 12 will not turn on”."
        },
        label="Subject",
        max_length=200,
        help_text="A brief subject of the problem, for example “Printer in room 12 will not print”.",
    )
    # Listed and checked from the kept tables (tickets.reference): the active types and schools.
    ticket_type = KeptChoiceField(
        ticket_type_choices_active,
        label="Type",
        queryset=TicketType.objects.all(),
        required=False,
        empty_label="Choose the type of issue",
        help_text="For example hardware, software or printer. Leave it if you are not sure.",
    )
    priority = forms.TypedChoiceField(
        label="Priority",
        choices=Ticket.Priority.choices,
        coerce=int,
        required=False,
        empty_value=Ticket.Priority.LOW,
        initial=Ticket.Priority.LOW,
        help_text="Urgent is for problems that stop teaching or testing for a whole class or more.",
    )
    school = KeptChoiceField(
        school_choices_active,
        error_messages={"required": "Please choose your school, so we know where to go."},
        label="School",
        queryset=School.objects.all(),
        empty_label="Choose your school",
    )
    classroom = forms.CharField(
        error_messages={"required": "Please enter your classroom number, or the place, such as Library."},
        label="Classroom number",
        max_length=40,
        help_text="Your room number, or the place, such as Library or Front office.",
    )
    device_tag = forms.CharField(
        label="Asset tag or serial",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
        help_text="Optional. The number on the district's sticker on the device, or its serial number.",
    )
    description = forms.CharField(
        error_messages={"required": "Please describe the problem, including the text of any error message."},
        label="Description",
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text="Enter as much information as you can, including the text of any error messages.",
    )
    attachments = MultipleFileField(
        label="Attach a file",
        required=False,
        help_text=attachments_help(prefix="Optional. "),
    )
    # Shown only with a routing message: the person's answer that it does not apply. The rules they read come back
    # as hidden `routing_rule_seen` values, so the answer never applies to a rule they have not seen.
    routing_override = forms.BooleanField(label="My request is different: submit it as a ticket", required=False)
    # Files chosen before a choice page (possible duplicates), kept so the person need not choose them again.
    pending_uploads = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked_files = []
        self.routing_outcome = RoutingOutcome()
        self.routed_files: list = []
        self.routing_seen_ids: list[int] = []  # rules already answered "My request is different", kept on re-render

    def full_clean(self):
        super().full_clean()
        # A field with an error shows the error alone: it says what to do, and the help text would repeat it.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].help_text = ""
                self[name].help_text = ""  # a bound field read before validation keeps its own copy

    @property
    def requester_email_suggestion(self) -> str:
        """The district address a typo was probably meant to be ("Did you mean …?"), for a button that fixes it."""
        for error in self.errors.as_data().get("requester_email", []):
            if error.params and error.params.get("suggestion"):
                return error.params["suggestion"]
        return ""

    @property
    def fields_version(self) -> str:
        """The cache key of the fields' HTML (templates/tickets/ticket_form.html); empty: render them afresh."""
        return form_fields_version(self)

    def clean_description(self) -> str:
        description = self.cleaned_data["description"].strip()
        if len("".join(description.split())) < DESCRIPTION_MIN_CHARACTERS:
            raise ValidationError(
                "Please tell us more: what happened, on which device, and the text of any error message.",
                code="too_short",
            )
        return description

    def clean_attachments(self) -> list:
        # Nothing new chosen: use the files kept from the step before (the possible-duplicates choice), if any.
        kept = self.data.get("pending_uploads", "")
        self.checked_files = super().clean_attachments() or pending_uploads_load(token=kept)
        if kept and not self.checked_files:  # expired, or replaced by a later submission from this browser
            raise ValidationError(CHOOSE_FILES_AGAIN, code="pending_gone")
        return self.checked_files

    def clean(self):
        cleaned = super().clean()
        if self._errors:
            return cleaned  # route only a request that is otherwise complete, so the advice fits what was typed
        getlist = getattr(self.data, "getlist", lambda key: [self.data.get(key)])
        self.routing_outcome = routing_outcome_for_request(
            subject=cleaned["subject"],
            description=cleaned["description"],
            ticket_type_id=cleaned["ticket_type"].pk if cleaned.get("ticket_type") else None,
            school_id=cleaned["school"].pk,
            requester_email=cleaned["requester_email"],
            is_override_ticked=bool(cleaned.get("routing_override")),
            seen_rule_ids={int(value) for value in getlist("routing_rule_seen") if str(value or "").isdigit()},
        )
        match = self.routing_outcome.stop
        if match is not None:
            self.routing_seen_ids = self.routing_outcome.overridden_rule_ids
            # Kept for "Send this … for me": the routing error below makes the form drop the cleaned files.
            self.routed_files = cleaned.get("attachments") or []
            # Not shown in the error list: the page shows the rule's message, contact and choices instead.
            raise ValidationError(match.rule.shown_message, code="routed")
        return cleaned

    @property
    def routing_match(self) -> RoutingMatch | None:
        """The rule that stopped this request, if one did."""
        return self.routing_outcome.stop

    def ticket_fields(self) -> dict:
        """Return the cleaned values that ticket_create takes."""
        skip = ("captcha", "routing_override", "pending_uploads")
        data = {key: value for key, value in self.cleaned_data.items() if key not in skip}
        mine = data.pop("my_device", "")  # offered to a signed-in requester (tickets.requester_devices)
        data["device_typed"] = data.pop("device_tag", "").strip() or mine
        data["overridden_rule"] = self.routing_outcome.overridden_rule
        data["changed_by_rule"] = self.routing_outcome.change.rule if self.routing_outcome.change else None
        return data
