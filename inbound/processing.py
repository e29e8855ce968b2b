"""Email that arrives at the help desk mailbox: decide what each message is and do the one right thing.

The policy asks people not to email for help and not to reply to closed tickets; this module serves them anyway,
without disturbing technicians and without ever starting a mail loop. A message whose sender the district's mail
system did not confirm (inbound/sender_verification.py) changes nothing: it is held until a technician accepts it;
with no way to check senders, all are held unless HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS believes From: lines.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from district.models import HelpDeskSettings
from helpdesk.email_address import normalize_email
from inbound import reply_text
from inbound.attachments import email_files_checked
from inbound.models import HeldEmail, OriginalEmail
from inbound.sender_verification import inbound_sender_verdict
from inbound.services import (
    held_email_create,
    held_email_decided,
    inbound_email_record,
    original_email_store,
    ticket_after_close_reply_record,
    ticket_bounce_record,
    ticket_email_reply_add,
)
from notifications.models import InboundEmail, OutboundEmail
from notifications.services import email_enqueue
from tickets.links import reopen_url
from tickets.models import Ticket
from tickets.services import ticket_reopen

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


def _part_text(part) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError):  # an unknown or wrong charset: keep what can be read
        return (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")


def latest_reply(message: EmailMessage) -> reply_text.ReplyText:
    """The new text of a reply, without the quoted history and signature; a forward keeps everything.

    Never empty when the email has any text: if cutting leaves nothing, the whole text is kept and marked so.
    """
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return reply_text.reply_text_of(
        plain=_part_text(plain) if plain is not None else None,
        html=_part_text(html) if html is not None else None,
        subject=str(message.get("Subject") or ""),
    )


def latest_reply_text(message: EmailMessage) -> str:
    return latest_reply(message).text


def _original_of_bounce(message: EmailMessage) -> EmailMessage | None:
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            return payload[0] if isinstance(payload, list) and payload else None
        if part.get_content_type() == "text/rfc822-headers":
            return BytesParser(policy=policy.default).parsebytes(part.get_payload(decode=True) or b"")
    return None


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


@dataclass
class Incoming:
    """One message being processed, and the stored original once something needs it."""

    message: EmailMessage
    raw: bytes
    sender: str
    message_id: str
    original: OriginalEmail | None = field(default=None)

    def stored_original(self) -> OriginalEmail:
        if self.original is None:
            self.original = original_email_store(message_id=self.message_id, raw=self.raw)
        return self.original


def _reply_to_ticket(ticket: Ticket, incoming: Incoming, now: datetime) -> InboundResult:
    message, reply = incoming.message, latest_reply(incoming.message)
    text, unseparated = reply.text, reply.is_quote_unseparated
    if ticket.is_open:
        files, problems = email_files_checked(message=message)
        ticket_email_reply_add(
            ticket=ticket,
            body=text,
            attachments=files,
            original=incoming.stored_original(),
            is_quote_unseparated=unseparated,
        )
        return InboundResult(InboundEmail.Outcome.REPLY_ADDED, ticket.number, "; ".join(problems))
    if len(text) <= THANKS_MAX_CHARACTERS and THANKS.match(text):
        ticket_after_close_reply_record(
            ticket=ticket, body=text, original=incoming.stored_original(), is_quote_unseparated=unseparated
        )
        return InboundResult(InboundEmail.Outcome.THANKS_RECORDED, ticket.number)
    choice = HelpDeskSettings.load()
    closed_recently = ticket.closed_at and ticket.closed_at >= now - timedelta(days=choice.reopen_within_days)
    reopen = choice.closed_reply == HelpDeskSettings.ClosedReply.ALWAYS or (
        choice.closed_reply == HelpDeskSettings.ClosedReply.WITHIN_DAYS and closed_recently
    )
    if reopen:
        ticket_reopen(ticket=ticket, reason="The requester replied by email after the ticket was closed.")
        files = email_files_checked(message=message)[0]
        ticket_email_reply_add(
            ticket=ticket,
            body=text,
            attachments=files,
            original=incoming.stored_original(),
            is_quote_unseparated=unseparated,
        )
        return InboundResult(InboundEmail.Outcome.REOPENED, ticket.number)
    ticket_after_close_reply_record(
        ticket=ticket, body=text, original=incoming.stored_original(), is_quote_unseparated=unseparated
    )
    _answer_after_close(
        ticket,
        offer_reopen=choice.closed_reply != HelpDeskSettings.ClosedReply.NEVER,
        # One answer per ticket a day, so a robot that ignores Auto-Submitted cannot start a loop.
        key=f"after-close-{ticket.pk}-{timezone.localdate(now):%Y-%m-%d}",
    )
    return InboundResult(InboundEmail.Outcome.AFTER_CLOSE_ANSWERED, ticket.number)


def _reply_from_merged_requester(original: Ticket, incoming: Incoming) -> InboundResult:
    """A reply on a ticket merged into someone else's: an internal note there, never shown to that requester."""
    files, problems = email_files_checked(message=incoming.message)
    reply = latest_reply(incoming.message)
    event = ticket_email_reply_add(
        ticket=original,
        body=reply.text,
        attachments=files,
        original=incoming.stored_original(),
        sender_email=incoming.sender,
        is_quote_unseparated=reply.is_quote_unseparated,
    )
    return InboundResult(InboundEmail.Outcome.REPLY_ADDED, event.ticket.number, "; ".join(problems))


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
    ticket_bounce_record(ticket=ticket)
    return InboundResult(InboundEmail.Outcome.BOUNCE_RECORDED, ticket.number)


def inbound_email_process(*, raw: bytes, now: datetime | None = None) -> InboundResult:
    """Decide what one raw RFC 822 message is, act on it, and record it so it is never processed twice."""
    now = now or timezone.now()
    message = BytesParser(policy=policy.default).parsebytes(raw)
    message_id = _message_id(message, raw)
    if InboundEmail.objects.filter(message_id=message_id).exists():
        return InboundResult(ALREADY_PROCESSED)
    incoming = Incoming(message, raw, _sender(message), message_id)
    try:
        with transaction.atomic():
            result = _decide(incoming, now, is_trusted=False)
            inbound_email_record(
                message_id=message_id,
                from_address=incoming.sender,
                subject=str(message.get("Subject") or ""),
                outcome=result.outcome,
                ticket_number=result.ticket_number,
                detail=result.detail,
            )
            return result
    except IntegrityError:  # another worker recorded the same message a moment ago
        return InboundResult(ALREADY_PROCESSED)


@transaction.atomic
def held_email_accept(*, acting_user, held_email_id: int, now: datetime | None = None) -> InboundResult | None:
    """Process a held email as if its sender were verified; None when it is no longer held."""
    held = (
        HeldEmail.objects.select_for_update(of=("self",))
        .select_related("original")
        .filter(pk=held_email_id, status=HeldEmail.Status.HELD)
        .first()
    )
    if held is None:
        return None
    raw = bytes(held.original.message)
    message = BytesParser(policy=policy.default).parsebytes(raw)
    incoming = Incoming(message, raw, _sender(message), held.original.message_id, original=held.original)
    result = _decide(incoming, now or timezone.now(), is_trusted=True)
    held_email_decided(held=held, acting_user=acting_user, status=HeldEmail.Status.ACCEPTED, outcome=result.describe())
    return result


def _sender(message: EmailMessage) -> str:
    return normalize_email(parseaddr(str(message.get("From") or ""))[1])


NO_VERIFICATION = (
    "The help desk is not set up to check who sent an email, so every email waits here for a technician. "
    "Ask the district's help desk administrator to set up sender verification (docs/deploy.md, 'Who sent it')."
)


def _is_verification_set_up() -> bool:
    return bool(settings.HELPDESK_INBOUND_AUTHSERV_ID or settings.HELPDESK_INBOUND_M365_TENANT_ID)


def _unverified_reason(message: EmailMessage) -> str:
    """Why the sender is not verified, or "" when verified (or when the district chose to believe every sender)."""
    if not _is_verification_set_up():
        return "" if settings.HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS else NO_VERIFICATION
    verdict = inbound_sender_verdict(
        message=message,
        authserv_id=settings.HELPDESK_INBOUND_AUTHSERV_ID,
        tenant_id=settings.HELPDESK_INBOUND_M365_TENANT_ID,
    )
    return "" if verdict.is_verified else verdict.reason


def _hold(incoming: Incoming, reason: str) -> InboundResult:
    ticket = _followed_ticket(_ticket_number_from(incoming.message))
    held_email_create(
        original=incoming.stored_original(),
        from_address=incoming.sender,
        subject=str(incoming.message.get("Subject") or ""),
        ticket=ticket,
        text=latest_reply_text(incoming.message),
        reason=reason,
    )
    return InboundResult(InboundEmail.Outcome.HELD, ticket.number if ticket else None, reason)


def _decide(incoming: Incoming, now: datetime, *, is_trusted: bool) -> InboundResult:
    message, sender = incoming.message, incoming.sender
    unverified = "" if is_trusted else _unverified_reason(message)
    if _is_bounce(message, sender):
        return _hold(incoming, unverified) if unverified else _bounce(message)
    if _is_automatic(message, sender):
        return InboundResult(InboundEmail.Outcome.IGNORED_AUTOMATIC)
    if sender.rpartition("@")[2] != settings.HELPDESK_REQUESTER_DOMAIN:
        return InboundResult(InboundEmail.Outcome.IGNORED_OUTSIDE)
    if unverified:
        return _hold(incoming, unverified)
    if not is_trusted and not _is_verification_set_up() and _is_forged(message):
        return InboundResult(InboundEmail.Outcome.IGNORED_FORGED)
    number = _ticket_number_from(message)
    ticket = _followed_ticket(number)
    if ticket is not None and sender == ticket.requester_email:
        return _reply_to_ticket(ticket, incoming, now)
    original = Ticket.objects.filter(number=number).first() if ticket is not None else None
    if original is not None and sender == original.requester_email:
        return _reply_from_merged_requester(original, incoming)
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
        context={"submit_url": settings.HELPDESK_BASE_URL + reverse("tickets:submit"), "sender": sender},
        idempotency_key=key,
        is_automatic=True,
    )
    return email, not existed
