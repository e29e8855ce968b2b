from django.db import models


class Heartbeat(models.Model):
    """When a background job last ran; /readyz reads these to notice a stopped Celery beat or mailbox poll."""

    class Name(models.TextChoices):
        BEAT = "beat", "Celery beat"
        MAILBOX = "mailbox", "Help desk mailbox poll"

    name = models.CharField(max_length=20, choices=Name.choices, primary_key=True)
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "heartbeat"

    def __str__(self):
        return f"{self.get_name_display()} at {self.recorded_at:%Y-%m-%d %H:%M:%S}"
