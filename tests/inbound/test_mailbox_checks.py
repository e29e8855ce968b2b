"""manage.py check --deploy names mailbox sign-in settings that cannot work, before the first poll is refused."""

import pytest

from inbound.mailbox_checks import mailbox_sign_in_check


def check_ids(settings, **values):
    for name, value in values.items():
        setattr(settings, name, value)
    return [message.id for message in mailbox_sign_in_check(None)]


@pytest.fixture
def microsoft(settings):
    settings.INBOUND_IMAP_URL = "imaps://outlook.office365.com/INBOX"
    settings.INBOUND_IMAP_AUTH = "microsoft"
    settings.INBOUND_OAUTH_MAILBOX = "helpdesk@northpanolaschools.org"
    settings.INBOUND_OAUTH_TENANT_ID = "district-tenant"
    settings.INBOUND_OAUTH_CLIENT_ID = "helpdesk-app"
    settings.INBOUND_OAUTH_CLIENT_SECRET = "app-secret"  # noqa: S105 (a test value)
    settings.INBOUND_OAUTH_TOKEN_URL = ""


def test_no_mailbox_nothing_to_check(settings):
    assert check_ids(settings, INBOUND_IMAP_URL="") == []


def test_a_complete_microsoft_setup_passes(settings, microsoft):
    assert check_ids(settings) == []


def test_missing_oauth_setting_is_an_error(settings, microsoft):
    settings.INBOUND_OAUTH_CLIENT_SECRET = ""
    [error] = mailbox_sign_in_check(None)
    assert error.id == "health.E001"
    assert error.msg == (
        "The help desk mailbox cannot be signed in to: INBOUND_IMAP_AUTH=microsoft needs INBOUND_OAUTH_CLIENT_SECRET"
    )


def test_password_sign_in_needs_a_password(settings):
    assert check_ids(
        settings, INBOUND_IMAP_AUTH="password", INBOUND_IMAP_URL="imaps://help@mail.example.org/INBOX"
    ) == ["health.E002"]
    assert check_ids(settings, INBOUND_IMAP_URL="imaps://help:secret@mail.example.org/INBOX") == []


def test_google_key_file_must_exist(settings, tmp_path):
    key = tmp_path / "key.json"
    values = {
        "INBOUND_IMAP_URL": "imaps://imap.gmail.com/INBOX",
        "INBOUND_IMAP_AUTH": "google",
        "INBOUND_OAUTH_MAILBOX": "helpdesk@northpanolaschools.org",
        "INBOUND_OAUTH_SERVICE_ACCOUNT_FILE": str(key),
        "INBOUND_OAUTH_TOKEN_URL": "",
    }
    assert check_ids(settings, **values) == ["health.E003"]
    key.write_text("{}")
    assert check_ids(settings) == []


def test_a_test_token_endpoint_in_production_is_a_warning(settings, microsoft):
    assert check_ids(settings, INBOUND_OAUTH_TOKEN_URL="http://127.0.0.1:8000/token") == ["health.W001"]
