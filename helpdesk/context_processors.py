from django.conf import settings


def district(request):
    """Names and links every page's header and footer show."""
    return {
        "district_name": settings.HELPDESK_DISTRICT_NAME,
        "district_website": settings.HELPDESK_DISTRICT_WEBSITE,
        "requester_domain": settings.HELPDESK_REQUESTER_DOMAIN,
    }
