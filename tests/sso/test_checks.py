from sso.checks import sso_settings_check


def test_no_warning_when_single_sign_on_is_fully_off_or_fully_on(settings):
    settings.HELPDESK_OIDC_ISSUER = settings.HELPDESK_OIDC_CLIENT_ID = settings.HELPDESK_OIDC_CLIENT_SECRET = ""
    assert sso_settings_check(None) == []
    settings.HELPDESK_OIDC_ISSUER, settings.HELPDESK_OIDC_CLIENT_ID = "https://accounts.google.com", "id"
    settings.HELPDESK_OIDC_CLIENT_SECRET = "secret"
    assert sso_settings_check(None) == []


def test_a_half_configured_provider_is_reported_with_what_is_missing(settings):
    settings.HELPDESK_OIDC_ISSUER, settings.HELPDESK_OIDC_CLIENT_ID = "https://accounts.google.com", "id"
    settings.HELPDESK_OIDC_CLIENT_SECRET = ""
    [warning] = sso_settings_check(None)
    assert warning.id == "sso.W001" and "HELPDESK_OIDC_CLIENT_SECRET" in warning.msg
