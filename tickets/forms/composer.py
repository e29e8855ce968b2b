"""The ticket page's composer: one box for a reply or an internal note, with the status and assignee beside it."""

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from helpdesk.kept_choices import KeptChoiceField
from tickets.forms.workspace import TicketPageForm
from tickets.models import Ticket
from tickets.reference import technician_choices

REPLY, NOTE = "reply", "note"


class TicketComposerForm(TicketPageForm):
    """Posted by one of two buttons (Send reply, Save as internal note), which names `kind`; status and assignee
    go with either, so "reply, wait on the requester, and take it" is one press."""

    id_prefix = "composer"
    kind = forms.ChoiceField(choices=[(REPLY, "Send reply"), (NOTE, "Save as internal note")], widget=forms.HiddenInput)
    body = forms.CharField(
        label="Reply or internal note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Send reply emails it to the requester with the ticket number in the subject. "
        "Save as internal note keeps it for technicians: it is never emailed.",
    )
    to = forms.ChoiceField(
        label="Send the reply to",
        required=False,
        help_text="The requester of a ticket merged into this one gets the reply about their own ticket; this "
        "ticket's requester never sees it.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[choice for choice in Ticket.Status.choices if choice[0] != Ticket.Status.CLOSED],
        help_text="To close the ticket, use Close ticket: the requester then receives the resolution.",
    )
    assignee = KeptChoiceField(
        technician_choices, label="Assignee", queryset=User.objects.all(), required=False, empty_label="Unassigned"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, ticket: Ticket, correspondents: list[str] = (), **kwargs):
        kwargs.setdefault(
            "initial", {"status": ticket.status, "assignee": ticket.assignee_id, "version": ticket.version}
        )
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        choices = [(ticket.requester_email, f"{ticket.requester_email} (this ticket's requester)")]
        choices += [(email, f"{email} (requester of a merged ticket)") for email in correspondents]
        self.fields["to"].choices = choices
        if not correspondents:
            self.fields["to"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not cleaned.get("body", "").strip() and not self.changes():
            raise ValidationError(
                "Please write a reply or a note, or change the status or the assignee, then press a button.",
                code="empty",
            )
        return cleaned

    @property
    def is_note(self) -> bool:
        return self.cleaned_data["kind"] == NOTE

    def changes(self) -> dict:
        """Only what differs from the ticket now: a reply alone never overwrites a colleague's change."""
        chosen = {"status": self.cleaned_data.get("status"), "assignee": self.cleaned_data.get("assignee")}
        differs = {
            "status": chosen["status"] != self.ticket.status,
            "assignee": getattr(chosen["assignee"], "pk", None) != self.ticket.assignee_id,  # no query for the user
        }
        return {field: value for field, value in chosen.items() if field in self.cleaned_data and differs[field]}
