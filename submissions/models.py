from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """A form posted with its one-time key: written in the same transaction as the work, so a repeat finds it."""

    # sha256 of the posted key and what was posted: a repeat of the same POST matches, a changed form does not.
    key = models.CharField(max_length=64, primary_key=True)
    result_url = models.CharField(max_length=2000, blank=True, help_text="Where the first answer sent the person.")
    session_key = models.CharField(max_length=40, blank=True, help_text="The browser session the first answer used.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.key[:12]}… → {self.result_url}"
