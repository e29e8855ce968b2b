import pytest

from tests.tickets.test_checks import manage

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-key-of-fifty-or-more",
    "EMAIL_URL": "smtp://smtp.example.org:587",
    "RECAPTCHA_PUBLIC_KEY": "pub",
    "RECAPTCHA_PRIVATE_KEY": "priv",
}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({}, None),
        ({"EMAIL_URL": "consolemail://"}, "tickets.E101"),
        ({"EMAIL_URL": "dummymail://"}, "tickets.E101"),
        ({"EMAIL_URL": "consolemail://", "DJANGO_DEBUG": "true"}, None),
        ({"HELPDESK_RATE_LIMITS": "off"}, "tickets.E102"),
        ({"DJANGO_SECRET_KEY": "x" * 49}, "tickets.E103"),
        ({"RECAPTCHA_PRIVATE_KEY": ""}, "tickets.E001"),
    ],
)
def test_check_deploy_refuses_settings_that_open_the_public_pages(change, error):
    """Each unsafe production setting is an error of its own; the documented production settings have none."""
    result = manage("check", "--deploy", **{**PRODUCTION, **change})
    errors = {
        code for code in ("tickets.E001", "tickets.E101", "tickets.E102", "tickets.E103") if code in result.stderr
    }
    assert errors == ({error} if error else set()), result.stderr
    assert (result.returncode != 0) is bool(error), result.stderr


@pytest.mark.parametrize(("count", "warned"), [("0", True), ("1", False)])
def test_check_deploy_warns_when_the_proxy_would_count_as_every_visitor(count, warned):
    result = manage("check", "--deploy", **PRODUCTION, DJANGO_BEHIND_PROXY="true", HELPDESK_TRUSTED_PROXY_COUNT=count)
    assert ("tickets.W104" in result.stderr) is warned, result.stderr
