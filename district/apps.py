from django.apps import AppConfig


class DistrictConfig(AppConfig):
    """What the district is made of (schools, ticket types, the help desk's settings) and the upload fields every
    form shares: tickets and routing both depend on it, and it depends on neither."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "district"
