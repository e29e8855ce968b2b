import pytest
from django.test import RequestFactory

from helpdesk.client_ip import client_ip

NGINX = "127.0.0.1"


def address(forwarded: str | None, *, remote: str = NGINX) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().post("/", **meta))


@pytest.mark.parametrize("forwarded", [None, "6.6.6.6", "6.6.6.6, 1.2.3.4", "garbage"])
def test_without_trusted_proxies_only_the_connection_counts(settings, forwarded):
    settings.HELPDESK_TRUSTED_PROXY_COUNT = 0
    assert address(forwarded, remote="203.0.113.7") == "203.0.113.7"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),  # what nginx writes for a plain client
        ("6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client sent its own X-Forwarded-For first
        ("9.9.9.9, 6.6.6.6, 203.0.113.7", "203.0.113.7"),
        ("not-an-address, 203.0.113.7", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::1"),
        ("", NGINX),  # reached the app without the proxy: the connection's address
    ],
)
def test_behind_one_proxy_the_address_it_saw_counts(settings, forwarded, expected):
    settings.HELPDESK_TRUSTED_PROXY_COUNT = 1
    assert address(forwarded) == expected


def test_behind_two_proxies_the_outer_one_names_the_client(settings):
    settings.HELPDESK_TRUSTED_PROXY_COUNT = 2
    # client sent 9.9.9.9; the load balancer saw 203.0.113.7; nginx saw the load balancer 10.0.0.2
    assert address("9.9.9.9, 203.0.113.7, 10.0.0.2") == "203.0.113.7"
    assert address("203.0.113.7") == NGINX  # fewer hops than proxies: not through both, so not believed
