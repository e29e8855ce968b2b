from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = "District single sign-on"
