"""The tickets app's forms, one module per audience; the names below are the public ones."""

from district.fields import CHOOSE_FILES_AGAIN, AttachmentsFormMixin, MultipleFileField
from tickets.forms.composer import TicketComposerForm
from tickets.forms.requester import AddInformationForm, FeedbackForm, RequesterEmailForm
from tickets.forms.submit import DistrictReCaptchaField, TicketSubmitForm
from tickets.forms.workspace import (
    BulkActionForm,
    ReportRangeForm,
    TicketCloseForm,
    TicketMergeForm,
    TicketUpdateForm,
)

__all__ = [
    "CHOOSE_FILES_AGAIN",
    "AddInformationForm",
    "AttachmentsFormMixin",
    "BulkActionForm",
    "DistrictReCaptchaField",
    "FeedbackForm",
    "MultipleFileField",
    "ReportRangeForm",
    "RequesterEmailForm",
    "TicketCloseForm",
    "TicketComposerForm",
    "TicketMergeForm",
    "TicketSubmitForm",
    "TicketUpdateForm",
]
