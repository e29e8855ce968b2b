"""The files attached to an email, checked against the same limits as the web form."""

from email.message import EmailMessage

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from district.attachments import CheckedFile, check_uploads


def email_files_checked(*, message: EmailMessage) -> tuple[list[CheckedFile], list[str]]:
    """The email's acceptable files, within the form's limits, and a note for each one left out.

    Unlike the form, nobody can be asked to choose again, so each file is judged on its own.
    """
    accepted, problems, total = [], [], 0
    for upload in _email_files(message):
        checked, refused = check_uploads(
            [upload],
            max_files=1,
            max_bytes=settings.HELPDESK_ATTACHMENT_MAX_BYTES,
            total_max_bytes=settings.HELPDESK_ATTACHMENT_MAX_BYTES,
        )
        if refused:
            problems += refused
        elif len(accepted) >= settings.HELPDESK_ATTACHMENT_MAX_FILES:
            problems.append(f"“{checked[0].original_name}” was left out: at most 5 files are kept.")
        elif total + checked[0].size > settings.HELPDESK_ATTACHMENTS_TOTAL_MAX_BYTES:
            problems.append(f"“{checked[0].original_name}” was left out: the files together passed 25 MB.")
        else:
            accepted += checked
            total += checked[0].size
    return accepted, problems


def _email_files(message: EmailMessage) -> list[SimpleUploadedFile]:
    files = []
    for part in message.iter_attachments():
        if part.get_content_maintype() in ("multipart", "message"):
            continue
        if part.get_content_disposition() == "inline" and part.get("Content-ID"):
            continue  # a picture inside the message (a signature logo), not a file the person attached
        payload = part.get_payload(decode=True) or b""
        files.append(SimpleUploadedFile(part.get_filename() or "attachment", payload, part.get_content_type()))
    return files
