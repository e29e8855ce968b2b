"""The routing panel's template context, and the session keys the ticket form and the request forms share.

Plain values in, plain values out: views read the request and the session, then call these.
"""

from django.urls import reverse

from routing.models import RoutingRule
from routing.selectors import RoutingMatch

DEFLECTIONS_SESSION_KEY = "routing_deflection_ids"
REQUESTS_SESSION_KEY = "routing_request_ids"
REQUEST_FORM_URLS = {
    RoutingRule.RequestForm.MASS_EMAIL: "routing:mass_email",
    RoutingRule.RequestForm.MEDIA: "routing:media",
    RoutingRule.RequestForm.QUOTE: "routing:quote",
}


def request_form_url(*, rule: RoutingRule) -> str:
    return reverse(REQUEST_FORM_URLS[rule.request_form]) if rule.request_form else ""


def panel_context(*, match: RoutingMatch, fields: dict, preview: bool, deflection=None, earlier_deflections=()) -> dict:
    return {
        "routing": match,
        "routing_fields": fields,
        "routing_preview": preview,
        "routing_deflection": deflection,
        # Rules already shown for this request, carried so every one the person overrides is logged with the ticket.
        "routing_earlier_deflections": earlier_deflections,
        "routing_form_url": request_form_url(rule=match.rule),
    }
