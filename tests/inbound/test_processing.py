"""Real-world messages into the help desk mailbox, each with the one thing that must happen."""

from email.message import EmailMessage
from email.utils import make_msgid

import pytest
import time_machine
from django.core.management import call_command

from district.models import HelpDeskSettings
from inbound.processing import ALREADY_PROCESSED, inbound_email_process, latest_reply_text
from notifications.models import InboundEmail, OutboundEmail
from tests.factories import TicketFactory
from tests.files import exe_bytes, png_bytes
from tickets.models import Ticket, TicketEvent
from tickets.services import ticket_close, tickets_merge

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome
PAT = "pat.lee@northpanolaschools.org"
QUOTE = (
    "\n\nOn Mon, Nov 30, 2026 at 9:00 AM NPSD Technology Help Desk <helpdesk@northpanolaschools.org> wrote:\n"
    "> Hello,\n> We received your request.\n"
)


def build(*, sender=PAT, subject="Re: [Ticket #1500] Printer in room 12", body="", html=None, headers=None, files=()):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "helpdesk@northpanolaschools.org"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mail.example.org")
    for name, value in (headers or {}).items():
        message[name] = value
    if html is not None and not body:
        message.set_content(html, subtype="html")
    else:
        message.set_content(body)
        if html is not None:
            message.add_alternative(html, subtype="html")
    for name, content, mime in files:
        maintype, subtype = mime.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


def gmail_reply(text):
    return build(body=text + QUOTE)


def outlook_reply(text):
    return build(
        body=text
        + "\n\n________________________________\nFrom: NPSD Technology Help Desk <helpdesk@northpanolaschools.org>\n"
        "Sent: Monday, November 30, 2026 9:00 AM\nTo: Lee, Pat <pat.lee@northpanolaschools.org>\n"
        "Subject: [Ticket #1500] We received your request\n\nHello,\nWe received your request.\n",
        subject="RE: [Ticket #1500] We received your request: Printer in room 12",
    )


def apple_reply(text):
    return build(
        body=text
        + "\n\n> On Nov 30, 2026, at 9:00 AM, NPSD Technology Help Desk <helpdesk@northpanolaschools.org> wrote:\n>\n> Hello,\n",
    )


def bounce(number, *, known=True):
    """A delivery report quoting our receipt for ticket `number` (or, when not known, a made-up email)."""
    original_id = make_msgid()
    if known:
        OutboundEmail.objects.create(
            to=PAT,
            subject=f"[Ticket #{number}] Receipt",
            body_text="x",
            message_id=original_id,
            thread=f"ticket:{number}",
            idempotency_key=f"bounced-{original_id}",
            status=OutboundEmail.Status.SENT,
        )
    return _bounce_report(number, original_id)


def _bounce_report(number, original_id):
    report = EmailMessage()
    report["From"] = "Mail Delivery System <MAILER-DAEMON@mail.northpanolaschools.org>"
    report["To"] = "helpdesk@northpanolaschools.org"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Message-ID"] = make_msgid()
    report.set_content(
        "This is the mail system. Your message could not be delivered to pat.lee@northpanolaschools.org."
    )
    report.make_mixed()
    status = EmailMessage()
    status.set_content(
        "Reporting-MTA: dns; mail\n\nFinal-Recipient: rfc822; pat.lee@northpanolaschools.org\nAction: failed\nStatus: 5.1.1\n"
    )
    report.attach(status)
    original = EmailMessage()
    original["From"] = "helpdesk@northpanolaschools.org"
    original["Subject"] = f"[Ticket #{number}] We received your request: Printer"
    original["Message-ID"] = original_id
    original.set_content("Hello")
    report.add_attachment(original)
    report.set_param("report-type", "delivery-status")
    report.replace_header("Content-Type", report["Content-Type"].replace("multipart/mixed", "multipart/report"))
    return bytes(report)


@pytest.fixture
def tickets(db, technician):
    technician.email = "casey.jones@northpanolaschools.org"
    technician.save()
    open_ticket = TicketFactory(number=1500, requester_email=PAT, assignee=technician, status=Ticket.Status.WAITING)
    closed = TicketFactory(number=1600, requester_email=PAT)
    ticket_close(acting_user=technician, ticket=closed, resolution="Replaced the toner.")
    merged_source = TicketFactory(number=1700, requester_email=PAT)
    merged_target = TicketFactory(number=1701, requester_email="lee.m@northpanolaschools.org")
    tickets_merge(acting_user=technician, source=merged_source, target=merged_target)
    OutboundEmail.objects.all().delete()
    return {"open": open_ticket, "closed": closed, "target": merged_target}


CASES = [
    (
        "gmail reply with quoted history",
        lambda: gmail_reply("It is jammed again this morning."),
        Outcome.REPLY_ADDED,
        1500,
    ),
    ("outlook reply", lambda: outlook_reply("Still broken after the restart."), Outcome.REPLY_ADDED, 1500),
    ("apple mail reply", lambda: apple_reply("The tray light is orange now."), Outcome.REPLY_ADDED, 1500),
    (
        "html-only reply",
        lambda: build(html="<div>Room <b>12</b> printer<br>still offline</div>" + "<blockquote>old</blockquote>"),
        Outcome.REPLY_ADDED,
        1500,
    ),
    (
        "reply with a screenshot",
        lambda: build(body="Screenshot attached.", files=[("error.png", png_bytes(), "image/png")]),
        Outcome.REPLY_ADDED,
        1500,
    ),
    (
        "reply with a program attached",
        lambda: build(body="See file.", files=[("fix.pdf", exe_bytes(), "application/pdf")]),
        Outcome.REPLY_ADDED,
        1500,
    ),
    ("reply found by In-Reply-To, subject edited", None, Outcome.REPLY_ADDED, 1500),
    (
        "reply to a merged ticket",
        lambda: build(subject="Re: [Ticket #1700] Printer", body="Any news?", sender="lee.m@northpanolaschools.org"),
        Outcome.REPLY_ADDED,
        1701,
    ),
    (
        "thank-you on a closed ticket",
        lambda: build(subject="Re: [Ticket #1600] Closed: Printer", body="Thanks!" + QUOTE),
        Outcome.THANKS_RECORDED,
        1600,
    ),
    (
        "thank you so much",
        lambda: build(subject="Re: [Ticket #1600] Closed", body="Thank you so much"),
        Outcome.THANKS_RECORDED,
        1600,
    ),
    ("ok", lambda: build(subject="Re: [Ticket #1600] Closed", body="ok"), Outcome.THANKS_RECORDED, 1600),
    (
        "longer reply after closing",
        lambda: build(subject="Re: [Ticket #1600] Closed", body="It broke again right after you left, same error."),
        Outcome.AFTER_CLOSE_ANSWERED,
        1600,
    ),
    (
        "request by email",
        lambda: build(
            subject="Projector broken", body="Can someone come to room 5?", sender="sam.ford@northpanolaschools.org"
        ),
        Outcome.NEW_REQUEST_ANSWERED,
        None,
    ),
    (
        "someone else's ticket number",
        lambda: build(body="Me too!", sender="sam.ford@northpanolaschools.org"),
        Outcome.NEW_REQUEST_ANSWERED,
        None,
    ),
    (
        "from outside the district",
        lambda: build(sender="pat.lee@gmail.com", body="Help"),
        Outcome.IGNORED_OUTSIDE,
        None,
    ),
    (
        "the .com typo",
        lambda: build(sender="pat.lee@northpanolaschools.com", body="Help"),
        Outcome.IGNORED_OUTSIDE,
        None,
    ),
    ("bounce of a receipt", lambda: bounce(1500), Outcome.BOUNCE_RECORDED, 1500),
    (
        "out of office (Auto-Submitted)",
        lambda: build(
            subject="Out of Office: [Ticket #1500]",
            body="I am away until Monday.",
            headers={"Auto-Submitted": "auto-replied"},
        ),
        Outcome.IGNORED_AUTOMATIC,
        None,
    ),
    (
        "outlook automatic reply",
        lambda: build(
            subject="Automatic reply: [Ticket #1500] Printer",
            body="I am out.",
            headers={"X-Auto-Response-Suppress": "All"},
        ),
        Outcome.IGNORED_AUTOMATIC,
        None,
    ),
    (
        "mailing list",
        lambda: build(
            subject="Weekly news",
            body="News",
            headers={"Precedence": "list", "List-Id": "<news.northpanolaschools.org>"},
        ),
        Outcome.IGNORED_AUTOMATIC,
        None,
    ),
    (
        "forged district sender",
        lambda: build(
            body="Reset my password",
            headers={
                "Authentication-Results": "mx.northpanolaschools.org; spf=fail smtp.mailfrom=evil.example; dmarc=fail header.from=northpanolaschools.org"
            },
        ),
        Outcome.IGNORED_FORGED,
        None,
    ),
    (
        "noreply sender",
        lambda: build(sender="no-reply@northpanolaschools.org", body="Report ready"),
        Outcome.IGNORED_AUTOMATIC,
        None,
    ),
]


@pytest.mark.parametrize(("name", "make", "outcome", "number"), CASES, ids=[case[0] for case in CASES])
def test_inbound_message_outcomes(tickets, name, make, outcome, number):
    if make is None:  # threading by the email it answers, with a subject the requester rewrote
        receipt = OutboundEmail.objects.create(
            to=PAT,
            subject="[Ticket #1500] x",
            body_text="x",
            message_id="<receipt-1500@np>",
            thread="ticket:1500",
            idempotency_key="r1500",
            status=OutboundEmail.Status.SENT,
        )
        raw = build(subject="printer question", body="Is anyone coming?", headers={"In-Reply-To": receipt.message_id})
    else:
        raw = make()
    result = inbound_email_process(raw=raw)
    assert (result.outcome, result.ticket_number) == (outcome, number)
    assert InboundEmail.objects.get().outcome == outcome


# In school hours (a Wednesday, 10:00 in the district): outside them the alert waits for the morning digest.
@time_machine.travel("2026-11-11 16:00 +0000", tick=False)
def test_reply_to_open_ticket_is_public_without_quotes_and_notifies_assignee(
    tickets, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inbound_email_process(raw=gmail_reply("It is jammed again this morning."))
    event = tickets["open"].events.get(kind=TicketEvent.Kind.REQUESTER_REPLY)
    assert event.body == "It is jammed again this morning." and event.is_public
    tickets["open"].refresh_from_db()
    assert tickets["open"].status == Ticket.Status.IN_PROGRESS
    [notice] = mailoutbox
    assert notice.to == ["casey.jones@northpanolaschools.org"] and "It is jammed again" in notice.body


def test_reply_attachments_follow_the_form_limits_file_by_file(tickets):
    """Nobody can be asked to choose again by email, so good files are kept and each refused one is noted."""
    raw = build(
        body="Two files.", files=[("error.png", png_bytes(), "image/png"), ("fix.pdf", exe_bytes(), "application/pdf")]
    )
    result = inbound_email_process(raw=raw)
    assert list(tickets["open"].attachments.values_list("original_name", flat=True)) == ["error.png"]
    assert "fix.pdf" in result.detail


def test_signature_pictures_inside_the_message_are_not_attachments(tickets):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = PAT, "helpdesk@northpanolaschools.org", "Re: [Ticket #1500] x"
    message["Message-ID"] = make_msgid()
    message.set_content("See below.")
    message.add_alternative('<p>See below.</p><img src="cid:logo">', subtype="html")
    message.get_payload()[1].add_related(png_bytes(), "image", "png", cid="<logo>", filename="logo.png")
    inbound_email_process(raw=bytes(message))
    assert not tickets["open"].attachments.exists()


def test_an_unknown_charset_is_read_not_fatal(tickets):
    raw = build(body="placeholder").replace(b'charset="utf-8"', b'charset="x-unknown-42"')
    assert b"x-unknown-42" in raw
    assert inbound_email_process(raw=raw).outcome == Outcome.REPLY_ADDED


def test_a_forged_bounce_marks_nothing(tickets):
    result = inbound_email_process(raw=bounce(1500, known=False))
    tickets["open"].refresh_from_db()
    assert result.outcome == Outcome.BOUNCE_RECORDED and not tickets["open"].is_requester_email_undeliverable


def test_the_original_requester_can_still_reply_to_a_merged_ticket(tickets):
    result = inbound_email_process(raw=build(subject="Re: [Ticket #1700] Printer", body="Any news?", sender=PAT))
    assert (result.outcome, result.ticket_number) == (Outcome.REPLY_ADDED, 1701)


def test_after_close_answer_is_sent_once_a_day_per_ticket(tickets, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for text in ["It broke again, same error.", "Still broken, please help, same error again."]:
            inbound_email_process(raw=build(subject="Re: [Ticket #1600] Closed", body=text))
    assert len(mailoutbox) == 1


def test_reply_after_closing_gets_one_answer_with_a_reopen_link(
    tickets, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inbound_email_process(raw=build(subject="Re: [Ticket #1600] Closed", body="It broke again, same error."))
    tickets["closed"].refresh_from_db()
    assert tickets["closed"].status == Ticket.Status.CLOSED
    assert tickets["closed"].events.filter(kind=TicketEvent.Kind.AFTER_CLOSE).exists()
    [answer] = mailoutbox
    assert answer.extra_headers["Auto-Submitted"] == "auto-replied"
    assert "/tickets/reopen/" in answer.body and "/tickets/new/" in answer.body


def test_thank_you_after_closing_sends_nothing(tickets, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inbound_email_process(raw=build(subject="Re: [Ticket #1600] Closed", body="Thanks so much!"))
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("choice", "days_since_close", "outcome"),
    [
        (HelpDeskSettings.ClosedReply.ALWAYS, 30, Outcome.REOPENED),
        (HelpDeskSettings.ClosedReply.WITHIN_DAYS, 2, Outcome.REOPENED),
        (HelpDeskSettings.ClosedReply.WITHIN_DAYS, 30, Outcome.AFTER_CLOSE_ANSWERED),
        (HelpDeskSettings.ClosedReply.NEVER, 0, Outcome.AFTER_CLOSE_ANSWERED),
    ],
)
def test_admins_choose_what_a_reply_to_a_closed_ticket_does(tickets, choice, days_since_close, outcome):
    from datetime import timedelta

    from django.utils import timezone

    HelpDeskSettings.objects.update_or_create(pk=1, defaults={"closed_reply": choice, "reopen_within_days": 7})
    Ticket.objects.filter(pk=tickets["closed"].pk).update(closed_at=timezone.now() - timedelta(days=days_since_close))
    result = inbound_email_process(raw=build(subject="Re: [Ticket #1600] Closed", body="It broke again, same error."))
    assert result.outcome == outcome
    tickets["closed"].refresh_from_db()
    assert tickets["closed"].is_open is (outcome == Outcome.REOPENED)


def test_request_by_email_is_answered_at_most_once_a_day(tickets, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = inbound_email_process(
            raw=build(subject="Help", body="Projector broken", sender="sam.ford@northpanolaschools.org")
        )
        second = inbound_email_process(
            raw=build(subject="Help!!", body="Still broken", sender="sam.ford@northpanolaschools.org")
        )
    assert (first.outcome, second.outcome) == (Outcome.NEW_REQUEST_ANSWERED, Outcome.NEW_REQUEST_ALREADY_ANSWERED)
    [answer] = mailoutbox
    assert (
        "/tickets/new/" in answer.body
        and Ticket.objects.filter(requester_email="sam.ford@northpanolaschools.org").count() == 0
    )


def test_bounce_marks_the_ticket_for_technicians(tickets):
    inbound_email_process(raw=bounce(1500))
    tickets["open"].refresh_from_db()
    assert tickets["open"].is_requester_email_undeliverable


def test_the_same_message_is_never_processed_twice(tickets):
    raw = gmail_reply("Once only.")
    assert inbound_email_process(raw=raw).outcome == Outcome.REPLY_ADDED
    assert inbound_email_process(raw=raw).outcome == ALREADY_PROCESSED
    assert tickets["open"].events.filter(kind=TicketEvent.Kind.REQUESTER_REPLY).count() == 1


def test_latest_reply_text_drops_outlook_history():
    from email import message_from_bytes, policy

    message = message_from_bytes(outlook_reply("Still broken after the restart."), policy=policy.default)
    assert latest_reply_text(message) == "Still broken after the restart."


def test_ingest_email_prints_one_line_per_file_and_fails_only_on_unreadable(tickets, tmp_path, capsys):
    good = tmp_path / "reply.eml"
    good.write_bytes(gmail_reply("From a saved file."))
    call_command("ingest_email", str(good))
    assert capsys.readouterr().out.strip() == f"{good}: Added to an open ticket (ticket #1500)"
    with pytest.raises(Exception, match="1 file"):
        call_command("ingest_email", str(good), str(tmp_path / "missing.eml"))
    output = capsys.readouterr()
    assert "already_processed" in output.out and "missing.eml: cannot be read" in output.err


OUTLOOK_COM_QUOTE = (
    '<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">'
    '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">'
    "<b>From:</b> NPSD Technology Help Desk &lt;helpdesk@northpanolaschools.org&gt;<br><b>Sent:</b> Monday, "
    "November 30, 2026 9:00 AM<br><b>To:</b> Pat Lee<br><b>Subject:</b> [Ticket #1500] We received your request"
    "</font><div>&nbsp;</div></div><div>Hello,<br>We received your request.</div>"
)


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("", f'<html><body dir="ltr"><div class="elementToProof">&#8203;</div>{OUTLOOK_COM_QUOTE}</body></html>'),
        (
            "\u200b\n",
            f'<html><body dir="ltr"><div class="elementToProof">&#8203;</div>{OUTLOOK_COM_QUOTE}</body></html>',
        ),
    ],
)
def test_a_reply_with_nothing_visible_left_keeps_the_whole_email_and_is_marked(tickets, body, html):
    """Outlook's invisible zero-width space is not a reply: the ticket gets the whole email, marked as such."""
    result = inbound_email_process(raw=build(body=body, html=html))

    event = tickets["open"].events.get(kind=TicketEvent.Kind.REQUESTER_REPLY)
    assert result.outcome == Outcome.REPLY_ADDED
    assert "We received your request." in event.body
    assert event.is_quote_unseparated


def test_a_reply_after_close_that_is_all_quote_is_marked_too(tickets):
    html = f"<html><body><div><br></div>{OUTLOOK_COM_QUOTE}</body></html>"
    inbound_email_process(raw=build(subject="Re: [Ticket #1600] Toner", html=html))

    event = tickets["closed"].events.get(kind=TicketEvent.Kind.AFTER_CLOSE)
    assert "We received your request." in event.body and event.is_quote_unseparated


def test_an_ordinary_reply_is_not_marked(tickets):
    inbound_email_process(raw=build(html=f"<html><body><div>Hi. I am fine.</div>{OUTLOOK_COM_QUOTE}</body></html>"))

    event = tickets["open"].events.get(kind=TicketEvent.Kind.REQUESTER_REPLY)
    assert (event.body, event.is_quote_unseparated) == ("Hi. I am fine.", False)
