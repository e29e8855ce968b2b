"""The poller signs in to the help desk mailbox with an OAuth 2.0 token, as Microsoft 365 and Google Workspace require.

A real Dovecot checks every bearer token at a token server on loopback (its oauth2 passdb and RFC 7662
introspection), which issues tokens as Entra ID does for an app registration (client credentials) and as Google does
for a service account with domain-wide delegation (a JWT-bearer assertion whose signature it verifies).
"""

import json
import logging

import pytest

from health.models import Heartbeat
from inbound.mailbox_oauth import TokenEndpointUnavailable, access_token_forget
from inbound.mailbox_sign_in import MailboxSettings, MailboxSignInRefused, oauthbearer_response, xoauth2_response
from inbound.tasks import inbound_email_poll
from notifications.models import InboundEmail
from tests.conftest import free_port
from tests.factories import TicketFactory
from tests.imap_server import DovecotServer
from tests.inbound.test_mailbox import deliver, folder_count
from tests.inbound.test_processing import PAT, gmail_reply
from tests.oauth_token_server import TokenServer
from tickets.models import TicketEvent

pytestmark = [pytest.mark.django_db, pytest.mark.imap]

MAILBOX = "helpdesk@northpanolaschools.org"


@pytest.fixture(autouse=True)
def _no_kept_tokens():
    """Tokens are kept per process; each test starts without one."""
    access_token_forget()
    yield
    access_token_forget()


@pytest.fixture
def token_server():
    server = TokenServer(mailbox=MAILBOX).start()
    yield server
    server.stop()


def start_mailbox(settings, token_server, **options):
    server = DovecotServer(user=MAILBOX, oauth_introspection_url=token_server.introspection_url, **options).start()
    settings.INBOUND_IMAP_URL = f"imap://127.0.0.1:{server.port}/INBOX"
    settings.INBOUND_OAUTH_MAILBOX = MAILBOX
    return server


@pytest.fixture
def oauth_mailbox(settings, token_server):
    server = start_mailbox(settings, token_server)
    yield server
    server.stop()


def use_microsoft(settings, token_server, tmp_path=None):
    """An Entra app registration with IMAP.AccessAsApp; tests send its token request to the loopback server."""
    settings.INBOUND_IMAP_AUTH = "microsoft"
    settings.INBOUND_OAUTH_TENANT_ID = token_server.tenant_id
    settings.INBOUND_OAUTH_CLIENT_ID = token_server.client_id
    settings.INBOUND_OAUTH_CLIENT_SECRET = token_server.client_secret
    settings.INBOUND_OAUTH_TOKEN_URL = token_server.microsoft_token_url


def use_google(settings, token_server, tmp_path):
    """A service account key file as Google Cloud's console downloads it (its token_uri is Google's own)."""
    key_file = tmp_path / "service-account.json"
    key_file.write_text(json.dumps(token_server.service_account_info()))
    settings.INBOUND_IMAP_AUTH = "google"
    settings.INBOUND_OAUTH_SERVICE_ACCOUNT_FILE = str(key_file)
    settings.INBOUND_OAUTH_TOKEN_URL = token_server.google_token_url


@pytest.fixture(params=["microsoft", "google"])
def provider(request, settings, token_server, oauth_mailbox, tmp_path):
    {"microsoft": use_microsoft, "google": use_google}[request.param](settings, token_server, tmp_path)
    return request.param


def readyz_mailbox(client, expected_status):
    response = client.get("/readyz")
    assert response.status_code == expected_status, response.content
    return response.json()["checks"]["mailbox"]


def sign_ins(server, method):
    return server.log().count(f"Login: user=<{MAILBOX}>, method={method}")


def test_poll_reads_a_reply_through_xoauth2_and_adds_it_to_the_ticket(provider, token_server, oauth_mailbox, client):
    ticket = TicketFactory(number=1500, requester_email=PAT)
    deliver(oauth_mailbox, gmail_reply("Printed fine after the restart, but now it is jammed again."))

    assert inbound_email_poll() == 1

    assert list(ticket.events.filter(kind=TicketEvent.Kind.REQUESTER_REPLY).values_list("body", flat=True)) == [
        "Printed fine after the restart, but now it is jammed again."
    ]
    assert folder_count(oauth_mailbox, "Processed") == 1
    assert token_server.issued_count == 1
    assert sign_ins(oauth_mailbox, "XOAUTH2") == 1
    assert list(token_server.tokens) == token_server.introspected  # Dovecot checked the token it was given
    assert readyz_mailbox(client, 200) == "ok"


def test_the_token_is_kept_for_the_next_poll(provider, token_server, oauth_mailbox):
    inbound_email_poll()
    inbound_email_poll()

    assert token_server.issued_count == 1
    assert sign_ins(oauth_mailbox, "XOAUTH2") == 2


def test_a_token_about_to_expire_is_replaced_before_it_is_used(provider, token_server, oauth_mailbox):
    """Tokens are refreshed 5 minutes before they expire, so the mail server never sees one die mid-poll."""
    token_server.expires_in = 240
    inbound_email_poll()
    inbound_email_poll()

    assert token_server.issued_count == 2
    assert sign_ins(oauth_mailbox, "XOAUTH2") == 2
    assert "auth failed" not in oauth_mailbox.log()


def test_an_expired_token_is_refreshed_and_the_poll_succeeds(provider, token_server, oauth_mailbox, client):
    """A kept token that died early is refused by the mail server once; a new one is fetched and the poll goes on."""
    ticket = TicketFactory(number=1500, requester_email=PAT)
    assert inbound_email_poll() == 0
    old_token = next(iter(token_server.tokens))
    token_server.expire_all()
    deliver(oauth_mailbox, gmail_reply("Still jammed."))

    assert inbound_email_poll() == 1

    assert token_server.issued_count == 2
    new_token = list(token_server.tokens)[1]
    assert token_server.introspected[-2:] == [old_token, new_token]
    assert ticket.events.filter(kind=TicketEvent.Kind.REQUESTER_REPLY).count() == 1
    assert readyz_mailbox(client, 200) == "ok"


@pytest.mark.parametrize(
    ("provider_name", "reason"),
    [
        (
            "microsoft",
            "Microsoft Entra ID refused to issue a token: invalid_client: AADSTS7000215: Invalid client secret provided.",
        ),
        ("google", "Google refused to issue a token: invalid_client: The OAuth client was deleted."),
    ],
    ids=["microsoft", "google"],
)
def test_a_revoked_client_is_reported_on_readyz_and_in_admin(
    provider_name, reason, settings, token_server, oauth_mailbox, tmp_path, client, admin_client, caplog
):
    """Nothing is lost: the reply waits in the mailbox, monitoring and admins are told why, and it recovers."""
    {"microsoft": use_microsoft, "google": use_google}[provider_name](settings, token_server, tmp_path)
    assert inbound_email_poll() == 0
    token_server.revoked = True  # e.g. the client secret was deleted in Entra, or the service account disabled
    token_server.expire_all()
    deliver(oauth_mailbox, gmail_reply("Still jammed."))

    with caplog.at_level(logging.ERROR, logger="tickets.tasks"):
        assert inbound_email_poll() == 0

    assert readyz_mailbox(client, 503) == f"mailbox sign-in refused: {reason}"
    assert f"Help desk mailbox sign-in refused: {reason}" in caplog.messages
    page = admin_client.get("/admin/health/heartbeat/").content.decode()
    assert f"Failing: mailbox sign-in refused: {reason}" in page
    detail = admin_client.get("/admin/health/heartbeat/mailbox/change/")
    assert detail.status_code == 200 and "Last failed run" in detail.content.decode()
    heartbeat = Heartbeat.objects.get(name=Heartbeat.Name.MAILBOX)
    assert token_server.client_secret not in heartbeat.last_error
    assert not any(token in heartbeat.last_error for token in token_server.tokens)
    assert (folder_count(oauth_mailbox, "INBOX"), InboundEmail.objects.count()) == (1, 0)

    token_server.revoked = False  # the admin put a new secret in place
    assert inbound_email_poll() == 1
    assert readyz_mailbox(client, 200) == "ok"


def test_the_mail_server_refusing_a_new_token_is_reported(settings, token_server, oauth_mailbox, client):
    """The app may sign in but not open this mailbox (no Add-MailboxPermission): one token, no retry loop."""
    use_microsoft(settings, token_server)
    token_server.mailbox = "someone.else@northpanolaschools.org"  # the token is good, but for another mailbox

    assert inbound_email_poll() == 0

    assert token_server.issued_count == 1
    assert readyz_mailbox(client, 503) == (
        f"mailbox sign-in refused: the mail server refused a new access token for {MAILBOX}: "
        "[AUTHENTICATIONFAILED] Authentication failed."
    )


def test_oauthbearer_is_used_when_the_server_offers_only_that(settings, token_server):
    use_microsoft(settings, token_server)
    server = start_mailbox(settings, token_server, oauth_mechanisms="oauthbearer")
    try:
        TicketFactory(number=1500, requester_email=PAT)
        deliver(server, gmail_reply("Sent from a server without XOAUTH2."))
        assert inbound_email_poll() == 1
        assert sign_ins(server, "OAUTHBEARER") == 1
    finally:
        server.stop()


def test_a_refused_oauthbearer_sign_in_ends_cleanly_and_is_reported(settings, token_server, client):
    use_microsoft(settings, token_server)
    token_server.mailbox = "someone.else@northpanolaschools.org"
    server = start_mailbox(settings, token_server, oauth_mechanisms="oauthbearer")
    try:
        assert inbound_email_poll() == 0
        assert readyz_mailbox(client, 503).startswith("mailbox sign-in refused: the mail server refused a new access")
        assert "auth failed, 1 attempts" in server.log()
    finally:
        server.stop()


def test_a_token_endpoint_that_does_not_answer_is_not_a_refusal(settings, token_server):
    """Down is not refused: the poll fails, the next one tries again, and /readyz waits for the heartbeat to age."""
    use_microsoft(settings, token_server)
    settings.INBOUND_IMAP_URL = "imap://127.0.0.1:1/INBOX"
    settings.INBOUND_OAUTH_MAILBOX = MAILBOX
    settings.INBOUND_OAUTH_TOKEN_URL = f"http://127.0.0.1:{free_port()}/token"

    with pytest.raises(TokenEndpointUnavailable):
        inbound_email_poll()
    assert not Heartbeat.objects.filter(name=Heartbeat.Name.MAILBOX).exists()


def test_password_sign_in_still_works_beside_oauth(settings, token_server, oauth_mailbox, client):
    settings.INBOUND_IMAP_AUTH = "password"
    settings.INBOUND_IMAP_URL = (
        f"imap://{MAILBOX.replace('@', '%40')}:{oauth_mailbox.password}@127.0.0.1:{oauth_mailbox.port}/INBOX"
    )
    deliver(oauth_mailbox, gmail_reply("Read with the password."))  # signs in with the password too

    assert inbound_email_poll() == 1
    assert token_server.issued_count == 0
    assert (sign_ins(oauth_mailbox, "PLAIN"), sign_ins(oauth_mailbox, "XOAUTH2")) == (2, 0)

    settings.INBOUND_IMAP_URL = settings.INBOUND_IMAP_URL.replace(oauth_mailbox.password, "wrong-password")
    assert inbound_email_poll() == 0
    assert readyz_mailbox(client, 503) == (
        "mailbox sign-in refused: the mail server refused the password: [AUTHENTICATIONFAILED] Authentication failed."
    )


@pytest.mark.parametrize(
    ("auth", "reason"),
    [
        ("microsoft", "INBOUND_IMAP_AUTH=microsoft needs INBOUND_OAUTH_CLIENT_SECRET"),
        ("google", "INBOUND_IMAP_AUTH=google needs INBOUND_OAUTH_SERVICE_ACCOUNT_FILE"),
        ("gmail", "INBOUND_IMAP_AUTH is 'gmail'; use password, microsoft or google"),
    ],
    ids=["microsoft", "google", "unknown"],
)
def test_missing_oauth_settings_are_named(settings, auth, reason, client):
    settings.INBOUND_IMAP_URL = "imaps://outlook.office365.com/INBOX"
    settings.INBOUND_IMAP_AUTH = auth
    settings.INBOUND_OAUTH_MAILBOX = MAILBOX
    settings.INBOUND_OAUTH_TENANT_ID, settings.INBOUND_OAUTH_CLIENT_ID = "district-tenant", "helpdesk-app"
    settings.INBOUND_OAUTH_CLIENT_SECRET = settings.INBOUND_OAUTH_SERVICE_ACCOUNT_FILE = ""

    assert inbound_email_poll() == 0
    assert readyz_mailbox(client, 503) == f"mailbox sign-in refused: {reason}"


def test_an_unreadable_service_account_key_is_reported(settings, token_server, oauth_mailbox, tmp_path, client):
    use_google(settings, token_server, tmp_path)
    settings.INBOUND_OAUTH_SERVICE_ACCOUNT_FILE = str(tmp_path / "missing.json")

    assert inbound_email_poll() == 0
    assert readyz_mailbox(client, 503) == (
        "mailbox sign-in refused: Google refused to issue a token: "
        "the service account key file could not be read (FileNotFoundError)"
    )


def test_the_mailbox_address_defaults_to_the_url_user_and_secrets_stay_out_of_repr(settings):
    settings.INBOUND_IMAP_URL = "imaps://helpdesk%40northpanolaschools.org@outlook.office365.com/INBOX"
    settings.INBOUND_IMAP_AUTH = "microsoft"
    settings.INBOUND_OAUTH_MAILBOX = ""
    settings.INBOUND_OAUTH_TENANT_ID, settings.INBOUND_OAUTH_CLIENT_ID = "district-tenant", "helpdesk-app"
    settings.INBOUND_OAUTH_CLIENT_SECRET = "app-secret"  # noqa: S105 (a test value)

    config = MailboxSettings.from_settings()

    assert (config.host, config.port, config.oauth.mailbox) == ("outlook.office365.com", 993, MAILBOX)
    assert "app-secret" not in repr(config)


def test_password_stays_the_default(settings):
    settings.INBOUND_IMAP_URL = "imaps://help:secret@mail.example.org/INBOX"
    assert MailboxSettings.from_settings().oauth is None
    with pytest.raises(MailboxSignInRefused):
        settings.INBOUND_IMAP_AUTH = "magic"
        MailboxSettings.from_settings()


def test_sasl_messages_follow_the_documented_formats():
    assert xoauth2_response(user=MAILBOX, token="ya29.token") == (
        b"user=helpdesk@northpanolaschools.org\x01auth=Bearer ya29.token\x01\x01"
    )
    assert oauthbearer_response(user="a,b=c@example.org", token="t", host="imap.example.org", port=993) == (
        b"n,a=a=2Cb=3Dc@example.org,\x01host=imap.example.org\x01port=993\x01auth=Bearer t\x01\x01"
    )
