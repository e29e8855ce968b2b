from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = "District single sign-on"

    def ready(self):
        from sso import checks  # noqa: F401  registers the settings check
