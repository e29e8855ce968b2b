from sso.selectors import sso_is_configured


def district_sign_in(request):
    """Whether pages show the Sign in with your district account button."""
    return {"district_sign_in_enabled": sso_is_configured()}
