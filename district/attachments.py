"""Which uploaded files the help desk accepts: judged by their content (libmagic), never by their name."""

import os
import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import get_valid_filename

# Content type detected by libmagic -> what we call it in messages.
ACCEPTED_CONTENT_TYPES = {
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
    "image/bmp": "BMP image",
    "image/heic": "HEIC photo",
    "image/tiff": "TIFF image",
    "application/pdf": "PDF",
    "text/plain": "text file",
    "text/csv": "CSV file",
    "application/csv": "CSV file",
    "application/msword": "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.ms-excel": "Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook",
    # Older Word and Excel files are OLE containers that libmagic cannot always tell apart.
    "application/cdfv2": "Office document",
    "application/x-ole-storage": "Office document",
}
ACCEPTED_DESCRIPTION = "pictures (PNG, JPEG, GIF), PDF, text and log files, Word, Excel and CSV"
SNIFF_BYTES = 64 * 1024


def attachments_limits() -> str:
    """The upload limits in words, from the settings every form and inbound mail check against."""
    each = settings.HELPDESK_ATTACHMENT_MAX_BYTES // (1024 * 1024)
    together = settings.HELPDESK_ATTACHMENTS_TOTAL_MAX_BYTES // (1024 * 1024)
    return f"Up to {settings.HELPDESK_ATTACHMENT_MAX_FILES} files, {each} MB each and {together} MB together"


def _attachments_help(prefix: str = "") -> str:
    return f"{prefix}{attachments_limits()}: {ACCEPTED_DESCRIPTION}."


# Lazy, so a field's help text follows the settings (and their overrides in tests) instead of freezing at import.
attachments_help = lazy(_attachments_help, str)


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    original_name: str
    content_type: str
    size: int


def clean_original_name(name: str) -> str:
    """Return a display-safe file name: no folders, no odd characters, at most 150 characters."""
    base = os.path.basename(name.replace("\\", "/")).strip()
    try:
        cleaned = get_valid_filename(base)
    except Exception:  # get_valid_filename raises SuspiciousFileOperation for names like ".."
        cleaned = ""
    stem, ext = os.path.splitext(cleaned or "attachment")
    return stem[: 150 - len(ext[:10])] + ext[:10]


# Office Open XML files are zip archives; libmagic names them only when the parts come in Word's usual order.
OFFICE_ZIP_PARTS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def detect_content_type(upload: UploadedFile) -> str:
    """Return the MIME type of the file's content."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if not head:
        return "application/x-empty"
    content_type = magic.from_buffer(head, mime=True).lower()
    if content_type == "application/zip":
        content_type = _office_zip_type(upload) or content_type
    return content_type


def _office_zip_type(upload: UploadedFile) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((content_type for part, content_type in OFFICE_ZIP_PARTS.items() if part in names), None)


def check_uploads(
    uploads: list[UploadedFile], *, max_files: int, max_bytes: int, total_max_bytes: int
) -> tuple[list[CheckedFile], list[str]]:
    """Return the accepted files and one plain message per problem, naming the file."""
    problems: list[str] = []
    if len(uploads) > max_files:
        return [], [f"You chose {len(uploads)} files. Please attach at most {max_files}."]
    checked: list[CheckedFile] = []
    for upload in uploads:
        name = clean_original_name(upload.name or "")
        if upload.size > max_bytes:
            problems.append(
                f"“{name}” is {filesizeformat(upload.size)}. Each file must be {filesizeformat(max_bytes)} or smaller."
            )
            continue
        content_type = detect_content_type(upload)
        if content_type not in ACCEPTED_CONTENT_TYPES:
            problems.append(
                f"“{name}” is not a type of file we accept. Please attach only {ACCEPTED_DESCRIPTION}."
                if content_type != "application/x-empty"
                else f"“{name}” is empty. Please choose the file again."
            )
            continue
        checked.append(CheckedFile(upload=upload, original_name=name, content_type=content_type, size=upload.size))
    total = sum(upload.size for upload in uploads)
    if not problems and total > total_max_bytes:
        problems.append(
            f"Your files add up to {filesizeformat(total)}. Together they must be {filesizeformat(total_max_bytes)} "
            "or smaller; please leave some out or make them smaller."
        )
    return (checked if not problems else []), problems
