"""The private storage every uploaded file goes to, tickets' attachments and routing's forwarded files alike."""

from django.core.files.storage import Storage, storages
from django.utils.functional import LazyObject


class AttachmentStorage(LazyObject):
    """STORAGES["attachments"] (a private folder or S3-compatible), looked up on first use like default_storage."""

    def _setup(self):
        self._wrapped = storages["attachments"]


attachment_files = AttachmentStorage()


def attachment_storage() -> Storage:
    """Return the private storage for uploaded files; every read and write of a file goes through it."""
    return attachment_files
