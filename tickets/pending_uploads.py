"""Files a person chose, kept for one more step (a choice page), so they never have to choose them again."""

import uuid
from datetime import timedelta

from django.core import signing
from django.core.files import File
from django.utils import timezone

from district.attachments import CheckedFile
from district.storage import attachment_storage

SALT = "tickets.pending-uploads"
MAX_AGE = timedelta(days=1)
FOLDER = "pending"


def pending_uploads_stash(*, files: list[CheckedFile]) -> str:
    """Store the files privately and return a signed token naming them (empty when there are none)."""
    if not files:
        return ""
    storage = attachment_storage()
    stashed = []
    for item in files:
        item.upload.seek(0)
        path = storage.save(f"{FOLDER}/{uuid.uuid4().hex}", item.upload)
        stashed.append({"path": path, "name": item.original_name, "type": item.content_type, "size": item.size})
    return signing.dumps(stashed, salt=SALT)


def pending_uploads_replace(*, previous_token: str, files: list[CheckedFile]) -> str:
    """Stash this browser's files and delete the ones its previous pending submission kept: one set per browser."""
    token = pending_uploads_stash(files=files)
    if previous_token and previous_token != token:
        pending_uploads_discard(token=previous_token)
    return token


def pending_uploads_discard(*, token: str) -> int:
    """Delete the files a token names; return how many were still there."""
    try:
        stashed = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return 0
    storage = attachment_storage()
    removed = 0
    for item in stashed:
        path = str(item["path"])
        if path.startswith(f"{FOLDER}/") and storage.exists(path):
            storage.delete(path)
            removed += 1
    return removed


def pending_uploads_load(*, token: str) -> list[CheckedFile]:
    """Return the stashed files a token names; nothing when it is forged, expired or the files are gone."""
    if not token:
        return []
    try:
        stashed = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    storage = attachment_storage()
    files = []
    for item in stashed:
        if not str(item["path"]).startswith(f"{FOLDER}/") or not storage.exists(item["path"]):
            return []
        files.append(
            CheckedFile(
                upload=File(storage.open(item["path"], "rb"), name=item["name"]),
                original_name=item["name"],
                content_type=item["type"],
                size=item["size"],
            )
        )
    return files


def pending_uploads_sweep(*, now=None) -> int:
    """Delete stashed files older than a day (the person never came back); return how many."""
    now = now or timezone.now()
    storage = attachment_storage()
    try:
        _, names = storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        if storage.get_modified_time(path) < now - MAX_AGE:
            storage.delete(path)
            removed += 1
    return removed
