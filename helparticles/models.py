"""Help articles: self-help pages edited in admin, and what people did with them (for the reports)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from district.storage import attachment_storage

RESERVED_SLUGS = frozenset({"suggest"})


class HelpArticle(models.Model):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        STAFF = "staff", "Staff (signed in with a district address)"
        TECHNICIANS = "technicians", "Technicians only"

    title = models.CharField(max_length=200, help_text="What people would type, e.g. “Projector says no signal”.")
    slug = models.SlugField(max_length=200, unique=True, help_text="The last part of the article's web address.")
    body = models.TextField(
        help_text="Markdown: # Heading, **bold**, - list items, [link text](https://…). "
        "To show an image, add it under Images below and write ![what it shows](file name)."
    )
    keywords = models.TextField(
        blank=True, help_text="Other words people use for this problem, one per line (e.g. “no signal”, “HDMI”)."
    )
    ticket_types = models.ManyToManyField(
        "district.TicketType", blank=True, related_name="help_articles", help_text="Where it is listed. Empty: Other."
    )
    audience = models.CharField(max_length=12, choices=Audience.choices, default=Audience.EVERYONE)
    is_published = models.BooleanField(
        "Published", default=False, help_text="Only published articles are shown, listed and suggested."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = "help article"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("helparticles:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.slug in RESERVED_SLUGS:  # /help/suggest/ is the form's suggestions, not an article
            raise ValidationError({"slug": f"“{self.slug}” is used by the help desk itself. Please choose another."})

    @property
    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]


class HelpArticleImage(models.Model):
    """An image an article shows: its body refers to it by file name."""

    article = models.ForeignKey(HelpArticle, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to="help-articles/%Y/%m/", storage=attachment_storage, max_length=200)
    name = models.CharField(max_length=100, help_text="The name the body uses: ![what it shows](this name).")
    content_type = models.CharField(max_length=100, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "name"], name="helparticles_image_name_unique")]

    def __str__(self):
        return self.name


class ArticleFeedback(models.Model):
    """One answer to “Did this solve it?”: a deflection (solved, no ticket) or a person who still needed help."""

    class Outcome(models.TextChoices):
        SOLVED = "solved", "This solved it (no ticket)"
        STILL_NEED_HELP = "still_need_help", "Still needed help"

    class Place(models.TextChoices):
        ARTICLE = "article", "Article page"
        TICKET_FORM = "ticket_form", "Suggested on the ticket form"

    article = models.ForeignKey(HelpArticle, on_delete=models.CASCADE, related_name="feedback")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    place = models.CharField(max_length=20, choices=Place.choices, default=Place.ARTICLE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["outcome", "created_at"])]

    def __str__(self):
        return f"{self.article}: {self.get_outcome_display()}"


class ArticleSearchMiss(models.Model):
    """A search on the Help articles page that found nothing: what to write next."""

    query = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return self.query
