"""Email that arrives at the help desk mailbox: decide what each message is and do the one right thing.

The policy asks people not to email for help and not to reply to closed tickets; this module serves them anyway,
without disturbing technicians and without ever starting a mail loop.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from mailparser_reply import EmailReplyParser

from notifications.models import InboundEmail, OutboundEmail
from notifications.services import email_enqueue
from tickets.attachments import check_uploads
from tickets.links import reopen_url
from tickets.models import HelpDeskSettings, Ticket, TicketEvent
from tickets.services import ticket_reopen, ticket_requester_addition_add, ticket_requester_reply_add

SUBJECT_TICKET = re.compile(r"\[Ticket #(\d+)\]", re.IGNORECASE)
THREAD_TICKET = re.compile(r"^ticket:(\d+)$")
THANKS = re.compile(
    r"^(many\s+)?(thanks?|thank\s+you|thx|ty|ok|okay|great|perfect|awesome|got\s+it|appreciate\s+it|"
    r"much\s+appreciated|works\s+now)([\s,!.]+(so\s+much|very\s+much|a\s+lot|again|all|you|guys|team))*[\s!.]*"
    r"(:\)|👍|🙂)?[\s!.]*$",
    re.IGNORECASE,
)
THANKS_MAX_CHARACTERS = 80
AUTOMATIC_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+.@-]|$)", re.I)
AUTOMATIC_SUBJECTS = re.compile(r"^(auto(matic)?[ -]?(reply|response)|out of (the )?office|autoreply|away)\b", re.I)


@dataclass(frozen=True)
class InboundResult:
    outcome: str
    ticket_number: int | None = None
    detail: str = ""

    def describe(self) -> str:
        label = (
            InboundEmail.Outcome(self.outcome).label if self.outcome in InboundEmail.Outcome.values else self.outcome
        )
        ticket = f" (ticket #{self.ticket_number})" if self.ticket_number else ""
        return f"{label}{ticket}{': ' + self.detail if self.detail else ''}"


ALREADY_PROCESSED = "already_processed"


def _message_id(message: EmailMessage, raw: bytes) -> str:
    value = (message.get("Message-ID") or "").strip()
    return value[:255] if value else "sha256:" + hashlib.sha256(raw).hexdigest()


def _is_bounce(message: EmailMessage, sender: str) -> bool:
    report = message.get_content_type() == "multipart/report" and "delivery-status" in (
        message.get_param("report-type") or ""
    )
    return report or bool(re.match(r"^(mailer-daemon|postmaster)@", sender, re.I))


def _is_automatic(message: EmailMessage, sender: str) -> bool:
    auto_submitted = (message.get("Auto-Submitted") or "no").strip().lower()
    precedence = (message.get("Precedence") or "").strip().lower()
    return (
        auto_submitted != "no"
        or precedence in ("bulk", "list", "junk", "auto_reply")
        or any(message.get(header) for header in ("X-Autoreply", "X-Autorespond", "List-Id", "List-Unsubscribe"))
        or (message.get("X-Auto-Response-Suppress") or "").lower() in ("all", "oof", "autoreply")
        or not sender
        or bool(AUTOMATIC_SENDERS.match(sender))
        or bool(AUTOMATIC_SUBJECTS.match((message.get("Subject") or "").strip()))
    )


def _is_forged(message: EmailMessage) -> bool:
    """Our mail server's verdict (Authentication-Results): a failed DMARC, or failed SPF and DKIM, is a forgery."""
    results = " ".join(str(value) for value in message.get_all("Authentication-Results", [])).lower()
    return "dmarc=fail" in results or ("spf=fail" in results and "dkim=pass" not in results)


def _referenced_ids(message: EmailMessage) -> list[str]:
    ids = []
    for header in ("In-Reply-To", "References"):
        ids += re.findall(r"<[^>]+>", str(message.get(header) or ""))
    return ids


def _ticket_number_from(message: EmailMessage) -> int | None:
    """The ticket a reply belongs to: the emails it answers first, then [Ticket #N] in the subject."""
    referenced = _referenced_ids(message)
    if referenced:
        thread = (
            OutboundEmail.objects.filter(message_id__in=referenced)
            .exclude(thread="")
            .values_list("thread", flat=True)
            .first()
        )
        if thread and (match := THREAD_TICKET.match(thread)):
            return int(match.group(1))
    match = SUBJECT_TICKET.search(str(message.get("Subject") or ""))
    return int(match.group(1)) if match else None


def _followed_ticket(number: int | None) -> Ticket | None:
    """The ticket to record on: a merged ticket's replies go to the ticket it was merged into."""
    ticket = Ticket.objects.filter(number=number).first() if number else None
    seen = set()
    while ticket and ticket.merged_into_id and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = ticket.merged_into
    return ticket


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or wrong charset: keep what can be read
        content = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    if part.get_content_type() == "text/html":
        content = strip_tags(re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", content))
    return content


def latest_reply_text(message: EmailMessage) -> str:
    """The new text of a reply, without the quoted history mail programs add below it."""
    text = _body_text(message).replace("\r\n", "\n")
    latest = EmailReplyParser(languages=["en"]).parse_reply(text=text) or ""
    return latest.strip() or text.strip()


def _attachments(message: EmailMessage) -> list[SimpleUploadedFile]:
    files = []
    for part in message.iter_attachments():
        if part.get_content_maintype() in ("multipart", "message"):
            continue
        if part.get_content_disposition() == "inline" and part.get("Content-ID"):
            continue  # a picture inside the message (a signature logo), not a file the person attached
        payload = part.get_payload(decode=True) or b""
        files.append(SimpleUploadedFile(part.get_filename() or "attachment", payload, part.get_content_type()))
    return files


def _original_of_bounce(message: EmailMessage) -> EmailMessage | None:
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            return payload[0] if isinstance(payload, list) and payload else None
        if part.get_content_type() == "text/rfc822-headers":
            return BytesParser(policy=policy.default).parsebytes(part.get_payload(decode=True) or b"")
    return None


def _record(message_id: str, message: EmailMessage, sender: str, result: InboundResult) -> InboundResult:
    InboundEmail.objects.create(
        message_id=message_id,
        from_address=sender[:254],
        subject=str(message.get("Subject") or "")[:255],
        outcome=result.outcome,
        ticket_number=result.ticket_number,
        detail=result.detail[:2000],
    )
    return result


def _checked_files(message: EmailMessage) -> tuple[list, list[str]]:
    """The email's acceptable files, within the form's limits, and a note for each one left out.

    Unlike the form, nobody can be asked to choose again, so each file is judged on its own.
    """
    accepted, problems, total = [], [], 0
    for upload in _attachments(message):
        checked, refused = check_uploads(
            [upload],
            max_files=1,
            max_bytes=settings.HELPDESK_ATTACHMENT_MAX_BYTES,
            total_max_bytes=settings.HELPDESK_ATTACHMENT_MAX_BYTES,
        )
        if refused:
            problems += refused
        elif len(accepted) >= settings.HELPDESK_ATTACHMENT_MAX_FILES:
            problems.append(f"“{checked[0].original_name}” was left out: at most 5 files are kept.")
        elif total + checked[0].size > settings.HELPDESK_ATTACHMENTS_TOTAL_MAX_BYTES:
            problems.append(f"“{checked[0].original_name}” was left out: the files together passed 25 MB.")
        else:
            accepted += checked
            total += checked[0].size
    return accepted, problems


def _answer_after_close(ticket: Ticket, *, offer_reopen: bool, key: str) -> None:
    email_enqueue(
        to=ticket.requester_email,
        template="notifications/email/ticket_reply_after_close",
        context={"ticket": ticket, "reopen_url": ""},
        secrets={"reopen_url": reopen_url(ticket) if offer_reopen else ""},
        idempotency_key=key,
        thread=f"ticket:{ticket.number}",
        is_automatic=True,
    )


def _reply_to_ticket(ticket: Ticket, message: EmailMessage, message_id: str, now: datetime) -> InboundResult:
    text = latest_reply_text(message)
    if ticket.is_open:
        files, problems = _checked_files(message)
        ticket_requester_reply_add(ticket=ticket, body=text, attachments=files)
        return InboundResult(InboundEmail.Outcome.REPLY_ADDED, ticket.number, "; ".join(problems))
    if len(text) <= THANKS_MAX_CHARACTERS and THANKS.match(text):
        TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.AFTER_CLOSE, body=text)
        return InboundResult(InboundEmail.Outcome.THANKS_RECORDED, ticket.number)
    choice = HelpDeskSettings.load()
    closed_recently = ticket.closed_at and ticket.closed_at >= now - timedelta(days=choice.reopen_within_days)
    reopen = choice.closed_reply == HelpDeskSettings.ClosedReply.ALWAYS or (
        choice.closed_reply == HelpDeskSettings.ClosedReply.WITHIN_DAYS and closed_recently
    )
    if reopen:
        ticket_reopen(ticket=ticket, reason="The requester replied by email after the ticket was closed.")
        ticket_requester_reply_add(ticket=ticket, body=text, attachments=_checked_files(message)[0])
        return InboundResult(InboundEmail.Outcome.REOPENED, ticket.number)
    TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.AFTER_CLOSE, body=text)
    _answer_after_close(
        ticket,
        offer_reopen=choice.closed_reply != HelpDeskSettings.ClosedReply.NEVER,
        # One answer per ticket a day, so a robot that ignores Auto-Submitted cannot start a loop.
        key=f"after-close-{ticket.pk}-{timezone.localdate(now):%Y-%m-%d}",
    )
    return InboundResult(InboundEmail.Outcome.AFTER_CLOSE_ANSWERED, ticket.number)


def _bounce(message: EmailMessage) -> InboundResult:
    # Only a bounce that quotes an email we really sent counts: anyone can write "[Ticket #N]" in a fake bounce.
    original = _original_of_bounce(message)
    message_id = str(original.get("Message-ID") or "").strip() if original is not None else ""
    thread = (
        OutboundEmail.objects.filter(message_id=message_id).values_list("thread", flat=True).first()
        if message_id
        else None
    )
    match = THREAD_TICKET.match(thread or "")
    ticket = Ticket.objects.filter(number=int(match.group(1))).first() if match else None
    if ticket is None:
        return InboundResult(InboundEmail.Outcome.BOUNCE_RECORDED, None, "it quotes no email we sent; nothing marked")
    Ticket.objects.filter(pk=ticket.pk).update(is_requester_email_undeliverable=True)
    TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.NOTE,
        body=f"Email to {ticket.requester_email} bounced: the requester may not receive updates.",
    )
    return InboundResult(InboundEmail.Outcome.BOUNCE_RECORDED, ticket.number)


def inbound_email_process(*, raw: bytes, now: datetime | None = None) -> InboundResult:
    """Decide what one raw RFC 822 message is, act on it, and record it so it is never processed twice."""
    now = now or timezone.now()
    message = BytesParser(policy=policy.default).parsebytes(raw)
    message_id = _message_id(message, raw)
    if InboundEmail.objects.filter(message_id=message_id).exists():
        return InboundResult(ALREADY_PROCESSED)
    sender = parseaddr(str(message.get("From") or ""))[1].strip().lower()
    try:
        with transaction.atomic():
            return _record(message_id, message, sender, _decide(message, sender, message_id, now))
    except IntegrityError:  # another worker recorded the same message a moment ago
        return InboundResult(ALREADY_PROCESSED)


def _decide(message: EmailMessage, sender: str, message_id: str, now: datetime) -> InboundResult:
    if _is_bounce(message, sender):
        return _bounce(message)
    if _is_automatic(message, sender):
        return InboundResult(InboundEmail.Outcome.IGNORED_AUTOMATIC)
    if sender.rpartition("@")[2] != settings.HELPDESK_REQUESTER_DOMAIN:
        return InboundResult(InboundEmail.Outcome.IGNORED_OUTSIDE)
    if _is_forged(message):
        return InboundResult(InboundEmail.Outcome.IGNORED_FORGED)
    number = _ticket_number_from(message)
    ticket = _followed_ticket(number)
    if ticket is not None and sender == ticket.requester_email:
        return _reply_to_ticket(ticket, message, message_id, now)
    original = Ticket.objects.filter(number=number).first() if ticket is not None else None
    if original is not None and sender == original.requester_email:
        # A reply on a ticket merged into someone else's: technicians read it as an internal note; the other
        # requester never sees it, and nothing about their ticket is sent back.
        files, problems = _checked_files(message)
        text = latest_reply_text(message)
        ticket_requester_addition_add(ticket=original, sender_email=sender, body=text, attachments=files)
        return InboundResult(InboundEmail.Outcome.REPLY_ADDED, ticket.number, "; ".join(problems))
    # Someone asking for help by email: point them to the form, at most once a day.
    _, created = _answer_new_request(sender, now)
    outcome = (
        InboundEmail.Outcome.NEW_REQUEST_ANSWERED if created else InboundEmail.Outcome.NEW_REQUEST_ALREADY_ANSWERED
    )
    return InboundResult(outcome)


def _answer_new_request(sender: str, now: datetime) -> tuple[OutboundEmail, bool]:
    key = f"email-request-answer-{sender}-{timezone.localdate(now):%Y-%m-%d}"
    existed = OutboundEmail.objects.filter(idempotency_key=key).exists()
    email = email_enqueue(
        to=sender,
        template="notifications/email/request_by_email",
        context={"submit_url": settings.HELPDESK_BASE_URL + reverse("tickets:submit")},
        idempotency_key=key,
        is_automatic=True,
    )
    return email, not existed
