"""The public form's device lookup (htmx): kind, model and school of a known device, and nothing more."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from devices.selectors import device_public_summary
from helpdesk.ratelimits import rate_limited


@require_POST
@rate_limited("device_lookup")
def device_lookup(request: HttpRequest) -> HttpResponse:
    """Anyone can call this: it answers only what the sticker on the device already says about it."""
    reference = request.POST.get("device_tag", "").strip()[:60]
    device = device_public_summary(reference=reference) if reference else None
    return render(request, "devices/_lookup_result.html", {"reference": reference, "device": device})
