from django.apps import AppConfig


class HelpArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "helparticles"
    verbose_name = "Help articles"
