from django.apps import AppConfig


class HelpArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "helparticles"
    verbose_name = "Help articles"

    def ready(self):
        from helparticles import links  # noqa: F401  the kept table's receivers
