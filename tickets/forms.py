from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django_recaptcha.fields import ReCaptchaField

from routing.selectors import RoutingMatch, routing_rule_for_request
from tickets.attachments import ACCEPTED_DESCRIPTION, check_uploads
from tickets.models import School, Ticket, TicketType
from tickets.pending_uploads import pending_uploads_load
from tickets.requester_email import normalize_email, requester_email_problem
from tickets.widgets import quick_selects

DESCRIPTION_MIN_CHARACTERS = 10
CHOOSE_FILES_AGAIN = "Please choose your files again. Your browser cannot keep them while you correct the form."


class DistrictReCaptchaField(ReCaptchaField):
    """A reCAPTCHA field that turns a failure to reach Google into a form error, not a server error."""

    def validate(self, value):
        try:
            super().validate(value)
        except OSError as exc:  # DNS failure, refused connection, timeout: URLError is an OSError
            raise ValidationError(
                "We could not verify that you are not a robot. Please wait a moment and try again.",
                code="captcha_unreachable",
            ) from exc


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


class TicketSubmitForm(AttachmentsFormMixin, forms.Form):
    """Appendix A's form, with the district's rules checked before a ticket exists."""

    requester_email = forms.CharField(
        label="Requester",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(
        error_messages={
            "required": "Please enter a brief subject, for example “Projector in room 12 will not turn on”."
        },
        label="Subject",
        max_length=200,
        help_text="A brief subject of the problem, for example “Printer in room 12 will not print”.",
    )
    ticket_type = forms.ModelChoiceField(
        label="Type",
        queryset=TicketType.objects.filter(is_active=True),
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
    school = forms.ModelChoiceField(
        error_messages={"required": "Please choose your school, so we know where to go."},
        label="School",
        queryset=School.objects.filter(is_active=True),
        empty_label="Choose your school",
    )
    classroom = forms.CharField(
        error_messages={"required": "Please enter your classroom number, or the place, such as Library."},
        label="Classroom number",
        max_length=40,
        help_text="Your room number, or the place, such as Library or Front office.",
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
        help_text=f"Optional. Up to 5 files, 10 MB each and 25 MB together: {ACCEPTED_DESCRIPTION}.",
    )
    # Shown only with a routing message: the person's answer that it does not apply. The rules they read come back
    # as hidden `routing_rule_seen` values, so the answer never applies to a rule they have not seen.
    routing_override = forms.BooleanField(label="My request is different: submit it as a ticket", required=False)
    # Files chosen before a choice page (possible duplicates), kept so the person need not choose them again.
    pending_uploads = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        domain = settings.HELPDESK_REQUESTER_DOMAIN
        requester = self.fields["requester_email"]
        requester.help_text = f"Your district email address. We are .org and not .com, for example jdoe@{domain}."
        requester.error_messages["required"] = f"Please enter your district email address, for example jdoe@{domain}."
        # Decided per form, not at import, so settings overrides apply in tests and when keys change.
        if settings.RECAPTCHA_ENABLED:
            self.fields["captcha"] = DistrictReCaptchaField(
                label="Confirm you are not a robot",
                public_key=settings.RECAPTCHA_PUBLIC_KEY,
                private_key=settings.RECAPTCHA_PRIVATE_KEY,
            )
        self.checked_files = []
        self.routing_match: RoutingMatch | None = None  # a rule that stops this request
        self.routing_change: RoutingMatch | None = None  # a rule that lets it through with a change
        self.overridden_match: RoutingMatch | None = None  # the first rule the person said does not apply
        self.overridden_matches: list[RoutingMatch] = []  # every one, in the order the rules are checked
        self.routed_files: list = []
        self.routing_seen_ids: list[int] = []  # rules already answered "My request is different", kept on re-render

    def clean_requester_email(self) -> str:
        domain = settings.HELPDESK_REQUESTER_DOMAIN
        address = normalize_email(self.cleaned_data["requester_email"])
        if "@" not in address:
            raise ValidationError(
                f"Enter your whole district email address, for example {address or 'jdoe'}@{domain}.", code="no_at"
            )
        # The district rule goes first: its advice ("did you mean …") beats a bare "invalid address".
        problem = requester_email_problem(
            address, domain=domain, real_lookalikes=frozenset(settings.HELPDESK_REQUESTER_DOMAIN_LOOKALIKES)
        )
        if problem:
            raise ValidationError(problem, code="not_district_email")
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                f"This does not look like an email address. Please check it, for example jdoe@{domain}.",
                code="invalid",
            ) from None
        return address.rstrip(".")

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
        self.checked_files = super().clean_attachments() or pending_uploads_load(
            token=self.data.get("pending_uploads", "")
        )
        return self.checked_files

    def clean(self):
        cleaned = super().clean()
        if self._errors:
            return cleaned  # route only a request that is otherwise complete, so the advice fits what was typed
        getlist = getattr(self.data, "getlist", lambda key: [self.data.get(key)])
        seen = {int(value) for value in getlist("routing_rule_seen") if str(value or "").isdigit()}
        overridden: set[int] = set()
        while True:
            match = routing_rule_for_request(
                subject=cleaned["subject"],
                description=cleaned["description"],
                ticket_type_id=cleaned["ticket_type"].pk if cleaned.get("ticket_type") else None,
                school_id=cleaned["school"].pk,
                requester_email=cleaned["requester_email"],
                exclude_rule_ids=overridden,
            )
            if match is None:
                break
            if not match.rule.stops_ticket:
                self.routing_change = match
                break
            if match.rule.allow_override and cleaned.get("routing_override") and match.rule.pk in seen:
                self.overridden_match = self.overridden_match or match
                self.overridden_matches.append(match)
                overridden.add(match.rule.pk)
                continue  # a later rule may still stop the request, or change the ticket (e.g. raise its priority)
            self.routing_seen_ids = sorted(overridden)
            self.routing_match = match
            # Kept for "Send this … for me": the routing error below makes the form drop the cleaned files.
            self.routed_files = cleaned.get("attachments") or []
            # Not shown in the error list: the page shows the rule's message, contact and choices instead.
            raise ValidationError(match.rule.message, code="routed")
        return cleaned

    def ticket_fields(self) -> dict:
        """Return the cleaned values that ticket_create takes."""
        skip = ("captcha", "routing_override", "pending_uploads")
        data = {key: value for key, value in self.cleaned_data.items() if key not in skip}
        data["overridden_rule"] = self.overridden_match.rule if self.overridden_match else None
        if self.routing_change:
            rule = self.routing_change.rule
            data["priority"] = max(data["priority"], rule.raise_priority_to or 0)
            data["routing_note"] = rule.technician_note
        return data


class TicketReplyForm(forms.Form):
    body = forms.CharField(
        label="Reply to requester",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Emailed to the requester with the ticket number in the subject.",
        error_messages={"required": "Please write the reply before sending it."},
    )


class TicketNoteForm(forms.Form):
    body = forms.CharField(
        label="Internal note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only technicians see notes; they are never emailed.",
        error_messages={"required": "Please write the note before adding it."},
    )


class TicketUpdateForm(forms.Form):
    """The fields a technician changes; version detects a change saved by someone else meanwhile."""

    status = forms.ChoiceField(
        label="Status",
        choices=[choice for choice in Ticket.Status.choices if choice[0] != Ticket.Status.CLOSED],
        help_text="To close the ticket, use Close ticket below: the requester then receives the resolution.",
    )
    priority = forms.TypedChoiceField(label="Priority", choices=Ticket.Priority.choices, coerce=int)
    ticket_type = forms.ModelChoiceField(label="Type", queryset=TicketType.objects.all(), required=False)
    school = forms.ModelChoiceField(label="School", queryset=School.objects.all())
    assignee = forms.ModelChoiceField(label="Assignee", queryset=None, required=False, empty_label="Unassigned")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, technicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = technicians
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        quick_selects(self)

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


class TicketCloseForm(forms.Form):
    resolution = forms.CharField(
        label="Resolution",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was done. The requester receives it by email.",
        error_messages={"required": "Please write the resolution: the requester receives it by email."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class TicketMergeForm(forms.Form):
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
    assignee = forms.ModelChoiceField(label="Technician", queryset=None, required=False)
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Choose a status"), *[c for c in Ticket.Status.choices if c[0] != Ticket.Status.CLOSED]],
        required=False,
    )
    priority = forms.TypedChoiceField(
        label="Priority", choices=[("", "Choose a priority"), *Ticket.Priority.choices], coerce=int, required=False
    )
    message = forms.CharField(label="Closing message", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, technicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = technicians
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
        quick_selects(self)

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
        return cleaned


class RequesterEmailForm(forms.Form):
    email = forms.CharField(
        label="Your district email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Please enter your district email address."},
    )

    def clean_email(self) -> str:
        domain = settings.HELPDESK_REQUESTER_DOMAIN
        address = normalize_email(self.cleaned_data["email"])
        problem = requester_email_problem(
            address, domain=domain, real_lookalikes=frozenset(settings.HELPDESK_REQUESTER_DOMAIN_LOOKALIKES)
        )
        if "@" not in address or problem:
            raise ValidationError(problem or f"Enter your whole district email address, for example jdoe@{domain}.")
        address = address.rstrip(".")
        try:
            validate_email(address)  # one address, nothing else: it becomes an email header
        except ValidationError:
            raise ValidationError(f"This does not look like an email address, for example jdoe@{domain}.") from None
        return address


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
        help_text=f"Optional. Up to 5 files, 10 MB each and 25 MB together: {ACCEPTED_DESCRIPTION}.",
    )


class FeedbackForm(forms.Form):
    answer = forms.ChoiceField(
        label="Was your problem solved?", choices=Ticket.Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="Anything you want to tell us? (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
