"""The visitor's address for lockouts and rate limits, never taken from a header the visitor can write."""

from types import SimpleNamespace

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def client_ip(request: HttpRequest) -> str:
    """Return the connection's address, or with N trusted proxies, the address the outermost proxy saw.

    Each trusted proxy appends the address it was connected from to X-Forwarded-For, and the nearest one is
    REMOTE_ADDR. So only the last N hops were written by servers we run; anything left of them came from the client.
    We cut those off before ipware reads the header: ipware's own proxy counting picks a different entry for headers
    of different lengths (checked with django-ipware 8), which a client could use by sending extra entries.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.HELPDESK_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded.strip():
        return remote
    hops = [*(entry.strip() for entry in forwarded.split(",")), remote][-(count + 1) :]
    if len(hops) < count + 1:
        return remote  # fewer hops than proxies: the request did not come through all of them
    meta = {"HTTP_X_FORWARDED_FOR": ", ".join(hops)}
    address, _ = get_client_ip(
        SimpleNamespace(META=meta), proxy_count=count, request_header_order=["HTTP_X_FORWARDED_FOR"]
    )
    return address or remote
