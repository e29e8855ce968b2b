from django.conf import settings
from django.core.checks import Warning, register

SETTINGS = ("HELPDESK_OIDC_ISSUER", "HELPDESK_OIDC_CLIENT_ID", "HELPDESK_OIDC_CLIENT_SECRET")


@register()
def sso_settings_check(app_configs, **kwargs):
    """Single sign-on is on only with all three settings: say so when some are set and the button stays hidden."""
    missing = [name for name in SETTINGS if not getattr(settings, name)]
    if not missing or len(missing) == len(SETTINGS):
        return []
    return [
        Warning(
            f"District single sign-on is off because {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
            "not set.",
            hint="Set all three HELPDESK_OIDC_* settings to show Sign in with your district account, or none.",
            id="sso.W001",
        )
    ]
