"""Only email our mail server confirmed changes tickets; the rest is held for a technician to accept or discard."""

import pytest
from django.core.checks import run_checks
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inbound.models import HeldEmail
from inbound.processing import held_email_accept, inbound_email_process
from notifications.models import InboundEmail, OutboundEmail
from tests.factories import TicketFactory
from tests.inbound.test_processing import PAT, build, gmail_reply
from tickets.models import Ticket, TicketEvent
from tickets.services import ticket_close

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome
OURS = "mx.google.com"
TENANT = "3f6d2c1e-8b7a-4e5f-9c0d-1a2b3c4d5e6f"  # a Microsoft 365 tenant's ID, as Entra ID shows it
ANOTHER_TENANT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
REAL_PASS = (
    "mx.google.com; dkim=pass header.i=@northpanolaschools.org header.s=google header.b=Xq3v1; "
    "spf=pass (google.com: domain of pat.lee@northpanolaschools.org designates 209.85.220.41 as permitted sender) "
    "smtp.mailfrom=pat.lee@northpanolaschools.org; "
    "dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=northpanolaschools.org"
)
SOFTFAIL = "mx.google.com; spf=softfail (google.com: domain of transitioning pat.lee@northpanolaschools.org does not designate 203.0.113.9 as permitted sender) smtp.mailfrom=pat.lee@northpanolaschools.org"  # noqa: E501
DMARC_FAIL = (
    "mx.google.com; spf=fail smtp.mailfrom=pat.lee@northpanolaschools.org; "
    "dmarc=fail (p=QUARANTINE sp=QUARANTINE dis=QUARANTINE) header.from=northpanolaschools.org"
)
ATTACKER_BELOW = (
    "mx.google.com; dkim=pass header.d=northpanolaschools.org; dmarc=pass header.from=northpanolaschools.org"
)


def with_results(raw: bytes, *values: str) -> bytes:
    """Add Authentication-Results headers on top, the first value topmost (as each server prepends its own)."""
    return b"".join(f"Authentication-Results: {value}\r\n".encode() for value in values) + raw


@pytest.fixture
def verifying(settings):
    settings.HELPDESK_INBOUND_AUTHSERV_ID = OURS


@pytest.fixture
def open_ticket(db):
    return TicketFactory(number=1500, requester_email=PAT)


def test_a_real_pass_is_processed(verifying, open_ticket):
    result = inbound_email_process(raw=with_results(gmail_reply("Jammed again."), REAL_PASS))

    assert result.outcome == Outcome.REPLY_ADDED
    assert open_ticket.events.get(kind=TicketEvent.Kind.REQUESTER_REPLY).body == "Jammed again."
    assert not HeldEmail.objects.exists()


def test_dkim_pass_signed_by_the_senders_domain_is_enough(verifying, open_ticket):
    header = "mx.google.com; dkim=pass header.d=northpanolaschools.org header.s=sel; spf=softfail smtp.mailfrom=x"
    assert inbound_email_process(raw=with_results(gmail_reply("Jammed."), header)).outcome == Outcome.REPLY_ADDED


@pytest.mark.parametrize(
    "results",
    [
        pytest.param((), id="no-authentication-results"),
        pytest.param((SOFTFAIL,), id="spf-softfail"),
        pytest.param((DMARC_FAIL,), id="dmarc-fail"),
        pytest.param((DMARC_FAIL, ATTACKER_BELOW), id="attacker-header-below-the-real-one"),
        pytest.param(("attacker.example; dkim=pass header.d=northpanolaschools.org",), id="another-servers-header"),
        pytest.param(("mx.google.com; dkim=pass header.d=attacker.example",), id="dkim-pass-for-another-domain"),
        pytest.param(("spf=pass smtp.mailfrom=northpanolaschools.org; dmarc=pass",), id="header-without-authserv-id"),
    ],
)
def test_a_forged_sender_is_held_and_changes_nothing(
    verifying, open_ticket, results, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = inbound_email_process(raw=with_results(gmail_reply("Close all my tickets."), *results))

    assert result.outcome == Outcome.HELD
    assert not open_ticket.events.exists()
    held = HeldEmail.objects.get()
    assert (held.ticket, held.text, held.status, held.from_address) == (
        open_ticket,
        "Close all my tickets.",
        "held",
        PAT,
    )
    assert not OutboundEmail.objects.exists()  # no automatic answer, not even to the assignee
    assert InboundEmail.objects.get().outcome == Outcome.HELD


def test_a_forged_reply_never_reopens_or_answers(verifying, technician, django_capture_on_commit_callbacks, mailoutbox):
    closed = TicketFactory(number=1600, requester_email=PAT)
    ticket_close(acting_user=technician, ticket=closed, resolution="Replaced the toner.")
    OutboundEmail.objects.all().delete()
    raw = with_results(build(subject="Re: [Ticket #1600] Toner", body="It is broken again, please reopen."), SOFTFAIL)

    with django_capture_on_commit_callbacks(execute=True):
        assert inbound_email_process(raw=raw).outcome == Outcome.HELD

    closed.refresh_from_db()
    assert closed.status == Ticket.Status.CLOSED
    assert not OutboundEmail.objects.exists() and not mailoutbox


def test_a_forged_request_by_email_gets_no_answer(verifying, django_capture_on_commit_callbacks):
    raw = build(subject="Projector", body="Please come to room 5", sender="sam.ford@northpanolaschools.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert inbound_email_process(raw=raw).outcome == Outcome.HELD
    assert not OutboundEmail.objects.exists()


def test_accept_on_a_held_reply_adds_it_and_records_who(verifying, open_ticket, technician):
    inbound_email_process(raw=gmail_reply("Jammed again, room 12."))
    held = HeldEmail.objects.get()

    result = held_email_accept(acting_user=technician, held_email_id=held.pk)

    assert result.outcome == Outcome.REPLY_ADDED
    event = open_ticket.events.get(kind=TicketEvent.Kind.REQUESTER_REPLY)
    assert event.body == "Jammed again, room 12."
    assert event.original_email_id == held.original_id  # the whole email stays downloadable
    held.refresh_from_db()
    assert (held.status, held.decided_by, held.decided_at is not None) == ("accepted", technician, True)
    assert held_email_accept(acting_user=technician, held_email_id=held.pk) is None  # never twice


def test_technicians_accept_and_discard_from_the_pages(verifying, open_ticket, technician, tech_client):
    inbound_email_process(raw=gmail_reply("First, from the list."))
    inbound_email_process(raw=gmail_reply("Second, from the ticket page."))
    first, second = HeldEmail.objects.order_by("pk")

    listing = tech_client.get("/queue/held-email/").content.decode()
    ticket_page = tech_client.get("/queue/1500/").content.decode()
    assert "First, from the list." in listing and "Second, from the ticket page." in ticket_page
    assert 'href="/queue/held-email/"' in ticket_page  # the workspace navigation links to the list

    assert tech_client.post(f"/queue/held-email/{first.pk}/discard/").url == "/queue/held-email/"
    response = tech_client.post(f"/queue/held-email/{second.pk}/accept/", {"ticket_number": "1500"})
    assert response.url == "/queue/1500/"

    first.refresh_from_db()
    assert (first.status, first.decided_by) == ("discarded", technician)
    assert list(open_ticket.events.values_list("body", flat=True)) == ["Second, from the ticket page."]
    listing = tech_client.get("/queue/held-email/").content.decode()
    assert "No email is waiting." in listing and "Discarded" in listing and "Casey Jones" in listing
    download = tech_client.get(f"/queue/held-email/{first.pk}/email/")
    assert download["Content-Type"] == "message/rfc822" and b"First, from the list." in download.getvalue()


def test_the_ticket_page_reads_held_email_only_for_a_ticket_that_has_some(verifying, open_ticket, tech_client):
    """The ticket's own query says whether email is held for it, so a ticket without any costs no extra query."""
    with CaptureQueriesContext(connection) as queries:
        page = tech_client.get("/queue/1500/").content.decode()
    assert "Held email for this ticket" not in page
    assert not [query for query in queries if query["sql"].startswith('SELECT "tickets_heldemail"')]

    inbound_email_process(raw=gmail_reply("Held for the ticket page."))
    page = tech_client.get("/queue/1500/").content.decode()
    assert "Held email for this ticket" in page and "Held for the ticket page." in page


def test_held_email_pages_are_for_technicians_only(verifying, open_ticket, client, django_user_model):
    inbound_email_process(raw=gmail_reply("Hello"))
    held = HeldEmail.objects.get()
    assert client.get("/queue/held-email/").status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user("visitor"))
    assert client.get("/queue/held-email/").status_code == 403
    assert client.post(f"/queue/held-email/{held.pk}/accept/").status_code == 403
    assert HeldEmail.objects.get().status == "held"


def test_with_no_way_to_check_senders_every_email_is_held_by_default(settings, open_ticket):
    settings.HELPDESK_INBOUND_AUTHSERV_ID = settings.HELPDESK_INBOUND_M365_TENANT_ID = ""
    settings.HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS = False

    result = inbound_email_process(raw=gmail_reply("Jammed."))

    assert result.outcome == Outcome.HELD
    assert not open_ticket.events.exists()
    assert "not set up to check who sent an email" in HeldEmail.objects.get().reason


def test_the_opt_out_believes_senders_but_still_ignores_an_obvious_forgery(settings, open_ticket):
    settings.HELPDESK_INBOUND_AUTHSERV_ID = settings.HELPDESK_INBOUND_M365_TENANT_ID = ""
    settings.HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS = True

    assert inbound_email_process(raw=gmail_reply("Jammed.")).outcome == Outcome.REPLY_ADDED
    forged = with_results(gmail_reply("Close all my tickets."), DMARC_FAIL)
    assert inbound_email_process(raw=forged).outcome == Outcome.IGNORED_FORGED
    assert not HeldEmail.objects.exists()


@pytest.mark.parametrize(
    ("authserv_id", "tenant_id", "trust", "error"),
    [
        ("", "", False, True),
        ("", "", True, True),  # the opt-out is still reported: anyone can write a district From: line
        (OURS, "", False, False),
        ("", TENANT, False, False),
    ],
)
def test_check_deploy_is_an_error_when_mail_in_cannot_be_verified(settings, authserv_id, tenant_id, trust, error):
    settings.INBOUND_IMAP_URL = "imaps://help:secret@mail.example.org/INBOX"
    settings.HELPDESK_INBOUND_AUTHSERV_ID, settings.HELPDESK_INBOUND_M365_TENANT_ID = authserv_id, tenant_id
    settings.HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS = trust

    found = [message for message in run_checks(include_deployment_checks=True) if message.id == "tickets.E011"]

    assert bool(found) is error
    assert all(message.is_serious() for message in found)


def test_no_mailbox_no_error(settings):
    settings.INBOUND_IMAP_URL = ""
    settings.HELPDESK_INBOUND_AUTHSERV_ID = settings.HELPDESK_INBOUND_M365_TENANT_ID = ""
    assert "tickets.E011" not in [message.id for message in run_checks(include_deployment_checks=True)]


@pytest.mark.parametrize(("tenant_id", "error"), [(TENANT, False), ("northpanolaschools.onmicrosoft.com", True)])
def test_a_tenant_id_that_is_not_a_guid_is_an_error(settings, tenant_id, error):
    settings.HELPDESK_INBOUND_M365_TENANT_ID = tenant_id
    assert ("tickets.E012" in [message.id for message in run_checks()]) is error


# Microsoft 365: a message as the district's tenant stores it. Exchange Online prepends its Received lines and its
# Authentication-Results (no authserv-id) above the sender's headers, and adds its X-MS-Exchange-* headers below them.
M365_PASS = (
    "spf=pass (sender IP is 209.85.220.41)\r\n smtp.mailfrom=northpanolaschools.org; dkim=pass (signature was verified)"
    "\r\n header.d=northpanolaschools.org;dmarc=pass action=none\r\n header.from=northpanolaschools.org;compauth=pass"
    " reason=100"
)
M365_DMARC_FAIL = (
    "spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=northpanolaschools.org; dkim=none (message not signed)"
    "\r\n header.d=none;dmarc=fail action=quarantine header.from=northpanolaschools.org;compauth=fail reason=000"
)
M365_COMPAUTH_PASS = (
    "spf=softfail (sender IP is 198.51.100.7; identity alignment result is pass and alignment mode is relaxed)"
    "\r\n smtp.mailfrom=northpanolaschools.org; dkim=none (message not signed) header.d=none;dmarc=none"
    " action=none\r\n header.from=northpanolaschools.org;compauth=pass reason=109"
)
M365_OLD_STYLE_PASS = (  # the receiving domain written between results, as Exchange Online did for years
    "spf=pass (sender IP is 40.107.220.91) smtp.mailfrom=northpanolaschools.org; northpanolaschools.org;"
    "\r\n dkim=pass (signature was verified) header.d=northpanolaschools.org;northpanolaschools.org;"
    " dmarc=pass action=none header.from=northpanolaschools.org;"
)
M365_DKIM_PASS_ONLY = (
    "spf=none (sender IP is 40.107.220.91) smtp.mailfrom=mail.northpanolaschools.org; dkim=pass (signature was"
    " verified) header.d=northpanolaschools.org;dmarc=none action=none header.from=northpanolaschools.org;"
    "compauth=softpass reason=201"
)
M365_SOFTPASS = (
    "spf=softfail (sender IP is 198.51.100.7) smtp.mailfrom=northpanolaschools.org; dkim=none (message not signed)"
    " header.d=none;dmarc=bestguesspass action=none header.from=northpanolaschools.org;compauth=softpass reason=201"
)
M365_OTHER_DOMAIN = (
    "spf=pass (sender IP is 198.51.100.7) smtp.mailfrom=attacker.example; dkim=pass (signature was verified)"
    " header.d=attacker.example;dmarc=pass action=none header.from=attacker.example;compauth=pass reason=100"
)
M365_INTERNAL = (
    "dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=northpanolaschools.org;"
)


def m365_received(raw: bytes, results: str | None, *, tenant=TENANT, auth_as="Anonymous", below=()) -> bytes:
    """`raw` as our tenant delivers it: its headers on top and at the bottom; `below` are the sender's own headers."""
    top = (
        "Received: from SA1PR12MB6945.namprd12.prod.outlook.com (2603:10b6:806:24d::15) by\r\n"
        " DM6PR12MB4514.namprd12.prod.outlook.com with HTTPS; Mon, 30 Nov 2026 16:02:14 +0000\r\n"
        "Received: from BN9PR03CA0123.namprd03.prod.outlook.com (2603:10b6:408:fe::8) by\r\n"
        " SA1PR12MB6945.namprd12.prod.outlook.com (2603:10b6:806:24d::15) with Microsoft SMTP Server\r\n"
        " (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.8207.18; Mon, 30 Nov 2026\r\n"
        " 16:02:13 +0000\r\n"
    )
    if results is not None:
        top += f"Authentication-Results: {results}\r\n"
    top += (
        "Received-SPF: Pass (protection.outlook.com: domain of northpanolaschools.org designates\r\n"
        " 209.85.220.41 as permitted sender) receiver=protection.outlook.com;\r\n"
        " client-ip=209.85.220.41; helo=mail-sor-f41.google.com; pr=C\r\n"
        "Received: from mail-sor-f41.google.com (209.85.220.41) by\r\n"
        " BN2PEPF000044A8.mail.protection.outlook.com (10.167.243.102) with Microsoft SMTP Server\r\n"
        " (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.8207.12 via Frontend Transport;\r\n"
        " Mon, 30 Nov 2026 16:02:13 +0000\r\n"
    )
    top += "".join(f"{name}: {value}\r\n" for name, value in below)
    bottom = (
        "X-MS-Exchange-Organization-ExpirationStartTime: 30 Nov 2026 16:02:13.4571 (UTC)\r\n"
        "X-MS-Exchange-Organization-Network-Message-Id: 5e0c2a8e-7a51-4d1b-2f4a-08dd1a2b3c4d\r\n"
        f"X-EOPTenantAttributedMessage: {tenant}:0\r\n"
        "X-MS-Exchange-Organization-MessageDirectionality: Incoming\r\n"
        "X-MS-PublicTrafficType: Email\r\n"
        "X-MS-Exchange-Organization-AuthSource: BN2PEPF000044A8.namprd04.prod.outlook.com\r\n"
        f"X-MS-Exchange-Organization-AuthAs: {auth_as}\r\n"
        "X-MS-Exchange-Organization-SCL: 1\r\n"
        "X-Forefront-Antispam-Report: CIP:209.85.220.41;CTRY:US;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;\r\n"
        " H:mail-sor-f41.google.com;PTR:mail-sor-f41.google.com;CAT:NONE;SFS:(13230040)(82310400026);DIR:INB;\r\n"
        "X-MS-Exchange-CrossTenant-OriginalArrivalTime: 30 Nov 2026 16:02:13.2852 (UTC)\r\n"
        "X-MS-Exchange-CrossTenant-Network-Message-Id: 5e0c2a8e-7a51-4d1b-2f4a-08dd1a2b3c4d\r\n"
        + (f"X-MS-Exchange-CrossTenant-Id: {tenant}\r\n" if tenant else "")
        + "X-MS-Exchange-CrossTenant-AuthSource: BN2PEPF000044A8.namprd04.prod.outlook.com\r\n"
        f"X-MS-Exchange-CrossTenant-AuthAs: {auth_as}\r\n"
        "X-MS-Exchange-CrossTenant-FromEntityHeader: " + ("Hosted" if auth_as == "Internal" else "Internet") + "\r\n"
        "X-MS-Exchange-Transport-CrossTenantHeadersStamped: DM6PR12MB4514\r\n"
    )
    head, _, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    head = head.replace(b"\n", b"\r\n")
    return top.encode() + head + b"\r\n" + bottom.encode() + b"\r\n" + body.replace(b"\n", b"\r\n")


@pytest.fixture
def m365(settings):
    settings.HELPDESK_INBOUND_AUTHSERV_ID = ""
    settings.HELPDESK_INBOUND_M365_TENANT_ID = TENANT
    settings.HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS = False


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(lambda r: m365_received(r, M365_PASS), id="dmarc-pass"),
        pytest.param(lambda r: m365_received(r, M365_COMPAUTH_PASS), id="compauth-pass"),
        pytest.param(lambda r: m365_received(r, M365_OLD_STYLE_PASS), id="older-shape-with-bare-domains"),
        pytest.param(lambda r: m365_received(r, M365_DKIM_PASS_ONLY), id="dkim-pass-by-the-from-domain"),
        pytest.param(lambda r: m365_received(r, M365_PASS, tenant=TENANT.upper()), id="tenant-id-in-capitals"),
        pytest.param(lambda r: m365_received(r, M365_INTERNAL, auth_as="Internal"), id="from-a-mailbox-of-the-tenant"),
        pytest.param(lambda r: m365_received(r, None, auth_as="Internal"), id="internal-without-results"),
    ],
)
def test_microsoft_365_confirmed_senders_are_processed(m365, open_ticket, raw):
    result = inbound_email_process(raw=raw(gmail_reply("Jammed again.")))

    assert result.outcome == Outcome.REPLY_ADDED
    assert open_ticket.events.get(kind=TicketEvent.Kind.REQUESTER_REPLY).body == "Jammed again."


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        pytest.param(lambda r: m365_received(r, M365_DMARC_FAIL), "dmarc=fail", id="forged-from-dmarc-fail"),
        pytest.param(
            lambda r: m365_received(r, M365_DMARC_FAIL, below=[("Authentication-Results", M365_PASS)]),
            "dmarc=fail",
            id="a-pass-added-below-the-tenants-header",
        ),
        pytest.param(
            lambda r: m365_received(r, M365_DMARC_FAIL, below=[("X-MS-Exchange-Organization-AuthAs", "Internal")]),
            "dmarc=fail",
            id="a-sender-written-authas-internal",
        ),
        pytest.param(
            lambda r: m365_received(r, M365_PASS, tenant=ANOTHER_TENANT), "Another Microsoft 365", id="wrong-tenant"
        ),
        pytest.param(
            lambda r: m365_received(r, M365_PASS, below=[("X-MS-Exchange-CrossTenant-Id", ANOTHER_TENANT)]),
            "Another Microsoft 365",
            id="a-second-tenant-header",
        ),
        pytest.param(lambda r: m365_received(r, M365_PASS, tenant=""), "did not receive", id="missing-tenant-header"),
        pytest.param(lambda r: with_results(r, M365_PASS), "did not receive", id="not-received-by-microsoft-365"),
        pytest.param(lambda r: m365_received(r, None), "left no sender check", id="no-authentication-results"),
        pytest.param(lambda r: m365_received(r, M365_SOFTPASS), "compauth=softpass", id="compauth-softpass"),
        pytest.param(lambda r: m365_received(r, M365_OTHER_DOMAIN), "could not confirm", id="pass-for-another-domain"),
        pytest.param(
            lambda r: m365_received(r, "mx.attacker.example; dmarc=pass header.from=northpanolaschools.org"),
            "not the one Microsoft 365 writes",
            id="topmost-header-names-another-server",
        ),
        pytest.param(
            lambda r: m365_received(r, M365_PASS, below=[("From", "Sam Ford <sam.ford@northpanolaschools.org>")]),
            "more than one From",
            id="two-from-lines",
        ),
    ],
)
def test_microsoft_365_unconfirmed_senders_are_held(m365, open_ticket, raw, reason):
    result = inbound_email_process(raw=raw(gmail_reply("Close all my tickets.")))

    assert result.outcome == Outcome.HELD
    assert not open_ticket.events.exists()
    assert reason in HeldEmail.objects.get().reason


def test_either_way_of_checking_may_confirm_when_both_are_set(m365, settings, open_ticket):
    """A gateway in front of Microsoft 365: its own header, or the tenant's, confirms the sender."""
    settings.HELPDESK_INBOUND_AUTHSERV_ID = OURS
    gateway_pass = m365_received(with_results(gmail_reply("Via the gateway."), REAL_PASS), M365_DMARC_FAIL)
    assert inbound_email_process(raw=gateway_pass).outcome == Outcome.REPLY_ADDED
    neither = m365_received(gmail_reply("Neither."), M365_DMARC_FAIL)
    assert inbound_email_process(raw=neither).outcome == Outcome.HELD
    reason = HeldEmail.objects.get().reason
    assert "Microsoft 365 could not confirm" in reason and "(mx.google.com) left no sender check" in reason
