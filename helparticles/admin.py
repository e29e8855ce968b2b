from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from district.attachments import check_uploads
from helparticles.models import ArticleFeedback, ArticleSearchMiss, HelpArticle, HelpArticleImage

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


class HelpArticleImageForm(forms.ModelForm):
    class Meta:
        model = HelpArticleImage
        fields = ["image", "name"]

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload and hasattr(upload, "content_type"):  # a new upload: judged by its content, as ticket files
            checked, problems = check_uploads(
                [upload],
                max_files=1,
                max_bytes=settings.HELPDESK_ATTACHMENT_MAX_BYTES,
                total_max_bytes=settings.HELPDESK_ATTACHMENT_MAX_BYTES,
            )
            if problems:
                raise ValidationError(problems[0])
            if checked[0].content_type not in IMAGE_TYPES:
                raise ValidationError("Please choose a picture: PNG, JPEG, GIF or WebP.")
            self.instance.content_type = checked[0].content_type
        return upload


class HelpArticleImageInline(admin.TabularInline):
    model = HelpArticleImage
    form = HelpArticleImageForm
    extra = 0


@admin.register(HelpArticle)
class HelpArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "audience", "is_published", "updated_at"]
    list_editable = ["is_published"]
    list_filter = ["is_published", "audience", "ticket_types"]
    search_fields = ["title", "keywords", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["ticket_types"]
    inlines = [HelpArticleImageInline]
    fields = ["title", "slug", "body", "keywords", "ticket_types", "audience", "is_published"]


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(admin.ModelAdmin):
    list_display = ["article", "outcome", "place", "created_at"]
    list_filter = ["outcome", "place"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArticleSearchMiss)
class ArticleSearchMissAdmin(admin.ModelAdmin):
    list_display = ["query", "created_at"]
    search_fields = ["query"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
