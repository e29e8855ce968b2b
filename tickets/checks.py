from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def recaptcha_keys_check(app_configs, **kwargs):
    """A public form without a captcha is allowed only on a developer's machine (DEBUG on)."""
    if settings.RECAPTCHA_ENABLED or settings.DEBUG:
        return []
    return [
        Error(
            "reCAPTCHA is off because RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY are not both set.",
            hint="Set both keys (reCAPTCHA v2 checkbox) in the environment; only DJANGO_DEBUG=true may run without.",
            id="tickets.E001",
        )
    ]
