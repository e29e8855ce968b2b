from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from health.selectors import readiness_is_ready, readiness_report


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the help desk can take and deliver tickets; 503 naming what is wrong (for monitoring)."""
    report = readiness_report()
    ready = readiness_is_ready(report=report)
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": report}, status=200 if ready else 503)
