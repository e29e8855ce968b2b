from django.db import models


class Heartbeat(models.Model):
    """When a background job last ran, and its last refusal; /readyz reads these to notice a stopped or refused job."""

    class Name(models.TextChoices):
        BEAT = "beat", "Celery beat"
        MAILBOX = "mailbox", "Help desk mailbox poll"

    name = models.CharField(max_length=20, choices=Name.choices, primary_key=True)
    recorded_at = models.DateTimeField("last successful run", null=True, blank=True)
    last_error = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why the last failed run failed, e.g. the mailbox sign-in refused. Never holds a password or token.",
    )
    last_error_at = models.DateTimeField("last failed run", null=True, blank=True)

    class Meta:
        verbose_name = "heartbeat"

    def __str__(self):
        when = f"{self.recorded_at:%Y-%m-%d %H:%M:%S}" if self.recorded_at else "never"
        return f"{self.get_name_display()} at {when}"

    @property
    def is_failing(self) -> bool:
        """True when the last run failed (a failure newer than the last success)."""
        return bool(self.last_error_at and (self.recorded_at is None or self.last_error_at > self.recorded_at))
