"""The deploy checks on inbound email: a mailbox whose senders cannot be verified, a tenant ID that is not one."""

import pytest

from tests.tickets.test_checks import manage

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 60,
    "RECAPTCHA_PUBLIC_KEY": "p",
    "RECAPTCHA_PRIVATE_KEY": "q",
}
MAILBOX = {"INBOUND_IMAP_URL": "imaps://help:secret@mail.example.org/INBOX"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "every email is held until a technician accepts it"),
        ({"HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS": "true"}, "any message with a district From: address"),
        ({"HELPDESK_INBOUND_AUTHSERV_ID": "mx.google.com"}, None),
        ({"HELPDESK_INBOUND_M365_TENANT_ID": "3F6D2C1E-8B7A-4E5F-9C0D-1A2B3C4D5E6F"}, None),
    ],
)
def test_check_deploy_fails_on_a_mailbox_whose_senders_cannot_be_verified(env, message):
    """With the production settings, mail in without sender verification is an error (held mail is the default)."""
    result = manage("check", "--deploy", **PRODUCTION, **MAILBOX, **env)

    output = result.stdout + result.stderr
    assert ("tickets.E011" in output) is (message is not None), output
    if message:
        assert result.returncode != 0 and message in output


def test_a_tenant_id_that_is_not_a_guid_stops_every_command():
    result = manage("check", DJANGO_DEBUG="true", HELPDESK_INBOUND_M365_TENANT_ID="northpanola.onmicrosoft.com")
    assert result.returncode != 0 and "tickets.E012" in result.stderr
