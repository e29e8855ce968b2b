"""Writes for routing: deflections, forwarding a request to its contact, calendar and reminders."""

import uuid
from datetime import date, datetime, timedelta

import holidays
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from district.attachments import CheckedFile
from district.models import School
from helpdesk.email_address import normalize_email
from notifications.models import OutboundEmail
from notifications.services import email_enqueue
from routing.models import (
    ClosedDay,
    DeflectionLog,
    RoutingRule,
    RuleSetVersion,
    ServiceRequest,
    ServiceRequestFile,
    StaffMember,
    TestingWindow,
)
from routing.policy import quote_terms_load
from routing.selectors import RoutingMatch, RoutingOutcome, testing_window_for_banner, testing_windows_due_reminder

REQUEST_FILE_SALT = "routing.request-file"
REQUEST_FILE_LINK_DAYS = 90


def rule_set_bump() -> None:
    """Give the rules a new stamp, so every process reloads them on its next request (after this commit)."""
    RuleSetVersion.objects.update_or_create(pk=1, defaults={"stamp": uuid.uuid4(), "changed_at": timezone.now()})


def _email_with_reply_to(
    *, to: str, reply_to: str, template: str, context: dict, idempotency_key: str, files=()
) -> OutboundEmail:
    """Email a contact or mailbox with the requester as Reply-To, the request's files attached."""
    return email_enqueue(
        to=to,
        reply_to=reply_to,
        template=template,
        context=context,
        idempotency_key=idempotency_key,
        attachments=[(file.file.name, file.original_name, file.content_type) for file, _token in files],
    )


@transaction.atomic
def deflection_record(
    *,
    match: RoutingMatch,
    requester_email: str,
    school: School | None,
    subject: str,
    description: str,
    outcome: str = DeflectionLog.Outcome.SHOWN,
) -> DeflectionLog:
    """Log that a rule handled a request, with what the person did."""
    deflection = DeflectionLog(
        public_id=uuid.uuid4(),
        rule=match.rule,
        rule_name=match.rule.name,
        matched=match.matched[:200],
        requester_email=normalize_email(requester_email),
        school=school,
        subject=subject[:200],
        description=description,
        outcome=outcome,
    )
    deflection.full_clean()
    deflection.save()
    return deflection


@transaction.atomic
def deflection_record_latest(
    *,
    previous: DeflectionLog | None,
    match: RoutingMatch,
    requester_email: str,
    school: School | None,
    subject: str,
    description: str,
) -> DeflectionLog:
    """Log a request a rule stopped, with what the person submitted last.

    The person's earlier log for the same rule is brought up to date, so "Send this … for me" and the request forms
    use their edits. A log that is finished (forwarded, say) keeps what was sent: an edited request gets a new one.
    """
    details = {
        "requester_email": normalize_email(requester_email),
        "school": school,
        "subject": subject[:200],
        "description": description,
    }
    if previous is None or previous.rule_id != match.rule.pk:
        return deflection_record(match=match, **details)
    unchanged = (previous.requester_email, previous.school_id, previous.subject, previous.description) == (
        details["requester_email"],
        school.pk if school else None,
        details["subject"],
        description,
    )
    if previous.outcome not in (DeflectionLog.Outcome.SHOWN, DeflectionLog.Outcome.FORM_OPENED):
        return previous if unchanged else deflection_record(match=match, **details)
    for field, value in details.items():
        setattr(previous, field, value)
    previous.matched = match.matched[:200]
    previous.full_clean()
    previous.save(update_fields=[*details, "matched", "updated_at"])
    return previous


@transaction.atomic
def deflection_outcome_set(*, deflection: DeflectionLog, outcome: str) -> DeflectionLog:
    deflection.outcome = outcome
    deflection.save(update_fields=["outcome", "updated_at"])
    return deflection


@transaction.atomic
def deflection_for_stopped_request(
    *,
    match: RoutingMatch,
    earlier: list[DeflectionLog],
    requester_email: str,
    school: School | None,
    subject: str,
    description: str,
) -> DeflectionLog:
    """Log a request a rule stopped, updating the log the person already has for that rule (from `earlier`)."""
    previous = next((deflection for deflection in earlier if deflection.rule_id == match.rule.pk), None)
    return deflection_record_latest(
        previous=previous,
        match=match,
        requester_email=requester_email,
        school=school,
        subject=subject,
        description=description,
    )


def deflection_next_step_take(
    *, deflection: DeflectionLog, match: RoutingMatch, next_step: str, attachments: list[CheckedFile] = ()
) -> str | None:
    """Carry out what the person chose on the routing panel; return the deflection's new outcome, if any."""
    if next_step == "forward" and match.rule.action == RoutingRule.Action.REDIRECT_PERSON:
        deflection_forward(deflection=deflection, attachments=attachments)
        return DeflectionLog.Outcome.FORWARDED
    if next_step == "form" and match.rule.request_form:
        deflection_outcome_set(deflection=deflection, outcome=DeflectionLog.Outcome.FORM_OPENED)
        return DeflectionLog.Outcome.FORM_OPENED
    return None


@transaction.atomic
def deflections_record_for_ticket(
    *,
    requester_email: str,
    school: School,
    subject: str,
    description: str,
    outcome: RoutingOutcome,
    earlier: list[DeflectionLog],
) -> list[DeflectionLog]:
    """Log a ticket that went through rules: each one the person overrode, and the one that changed the ticket.

    Return those logs: tickets links them to the new ticket (tickets.TicketRoutingLog), so routing never needs to
    know what a ticket is.
    """
    # Oldest first, so for each rule the entry left is the log the person read last.
    read_last = {deflection.rule_id: deflection for deflection in reversed(earlier)}
    details = {"requester_email": requester_email, "school": school, "subject": subject, "description": description}
    logs = []
    for match in outcome.overridden:
        deflection = deflection_record_latest(previous=read_last.get(match.rule.pk), match=match, **details)
        logs.append(deflection_outcome_set(deflection=deflection, outcome=DeflectionLog.Outcome.OVERRIDDEN))
    if outcome.change:
        logs.append(deflection_record(match=outcome.change, outcome=DeflectionLog.Outcome.TICKET_CHANGED, **details))
    return logs


def _files_store(*, attachments: list[CheckedFile], **parent) -> list[tuple[ServiceRequestFile, str]]:
    """Store uploaded files for a request or forwarded deflection; return them with their signed link tokens."""
    stored_files = []
    for checked in attachments:
        stored = ServiceRequestFile(
            original_name=checked.original_name, content_type=checked.content_type, size=checked.size, **parent
        )
        stored.file.save("upload", checked.upload, save=False)
        stored.save()
        stored_files.append((stored, request_file_token(file=stored)))
    return stored_files


@transaction.atomic
def deflection_forward(*, deflection: DeflectionLog, attachments: list[CheckedFile] = ()) -> DeflectionLog:
    """Email the request to the rule's contact (Reply-To the requester) and a copy to the requester; once only."""
    deflection = (
        DeflectionLog.objects.select_for_update(of=("self",))
        .select_related("rule__contact", "school")
        .get(pk=deflection.pk)
    )
    if deflection.outcome == DeflectionLog.Outcome.FORWARDED:
        return deflection  # a second click, or the back button: it has already gone
    contact = deflection.rule.contact
    files = _files_store(attachments=attachments, deflection=deflection)
    context = {"deflection": deflection, "contact": contact, "files": files}
    _email_with_reply_to(
        to=contact.email,
        reply_to=deflection.requester_email,
        template="notifications/email/routing_forward",
        context=context,
        idempotency_key=f"deflection-forward-{deflection.pk}",
        files=files,
    )
    _email_with_reply_to(
        to=deflection.requester_email,
        reply_to=contact.email,
        template="notifications/email/routing_forward_copy",
        context=context,
        idempotency_key=f"deflection-forward-copy-{deflection.pk}",
    )
    return deflection_outcome_set(deflection=deflection, outcome=DeflectionLog.Outcome.FORWARDED)


@transaction.atomic
def closed_days_load_federal_holidays(*, school_year_start: int) -> int:
    """Add the US federal holidays of the school year starting in August of `school_year_start`; return how many."""
    first, last = date(school_year_start, 8, 1), date(school_year_start + 1, 7, 31)
    calendar = holidays.country_holidays("US", years=[school_year_start, school_year_start + 1])
    added = 0
    for day, name in sorted(calendar.items()):
        if first <= day <= last:
            _, created = ClosedDay.objects.get_or_create(date=day, defaults={"name": name})
            added += created
    return added


def testing_window_reminders_send(*, at: datetime | None = None) -> int:
    """Email staff about each testing window starting within three days; return how many windows."""
    at = at or timezone.now()
    sent = 0
    for window in testing_windows_due_reminder(at=at):
        with transaction.atomic():
            window = TestingWindow.objects.select_for_update().get(pk=window.pk)
            if window.reminder_sent_at:
                continue
            if settings.HELPDESK_TESTING_REMINDER_TO:
                recipients = [settings.HELPDESK_TESTING_REMINDER_TO]
            else:
                recipients = list(StaffMember.objects.filter(is_active=True).values_list("email", flat=True))
            for address in recipients:
                email_enqueue(
                    to=address,
                    template="notifications/email/testing_window_reminder",
                    context={"window": window},
                    idempotency_key=f"testing-window-{window.pk}-{window.starts_at:%Y%m%d%H%M}-{address}",
                )
            window.reminder_sent_at = at
            window.save(update_fields=["reminder_sent_at"])
            sent += 1
    return sent


def quote_reminders_send(*, today: date | None = None) -> int:
    """Remind requesters whose quote expires within the days set in Help desk settings; return how many."""
    today = today or timezone.localdate()
    terms = quote_terms_load()
    sent_before = today - timedelta(days=terms.valid_days - terms.reminder_days_before)
    due = ServiceRequest.objects.filter(
        kind=ServiceRequest.Kind.QUOTE,
        quote_sent_at__isnull=False,
        quote_sent_at__lte=sent_before,
        quote_sent_at__gt=today - timedelta(days=terms.valid_days),
        quote_reminder_sent_at__isnull=True,
    )
    count = 0
    for request_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            quote = ServiceRequest.objects.select_for_update().get(pk=request_id)
            if quote.quote_reminder_sent_at:
                continue
            email_enqueue(
                to=quote.requester_email,
                template="notifications/email/quote_expiry_reminder",
                context={"quote": quote, "expires_on": terms.expires_on(sent_on=quote.quote_sent_at)},
                idempotency_key=f"quote-reminder-{quote.pk}-{quote.quote_sent_at:%Y%m%d}",
            )
            quote.quote_reminder_sent_at = timezone.now()
            quote.save(update_fields=["quote_reminder_sent_at"])
            count += 1
    return count


def request_file_token(*, file: ServiceRequestFile) -> str:
    return signing.dumps(file.pk, salt=REQUEST_FILE_SALT)


@transaction.atomic
def service_request_create(
    *,
    kind: str,
    mailbox: str,
    requester_email: str,
    attachments: list[CheckedFile] = (),
    deflection: DeflectionLog | None = None,
    at: datetime | None = None,
    **fields,
) -> ServiceRequest:
    """Keep a mass email, media or quote request, email it to its mailbox and send the requester a receipt."""
    request = ServiceRequest(
        kind=kind, mailbox=mailbox, requester_email=normalize_email(requester_email), deflection=deflection, **fields
    )
    request.full_clean()
    request.save()
    files = _files_store(attachments=attachments, request=request)
    context = {
        "request": request,
        "files": files,
        "testing_window": testing_window_for_banner(at=at or timezone.now(), school_id=request.school_id),
        "quote_valid_days": quote_terms_load().valid_days,
    }
    _email_with_reply_to(
        to=mailbox,
        reply_to=request.requester_email,
        template="notifications/email/service_request",
        context=context,
        idempotency_key=f"service-request-{request.pk}",
        files=files,
    )
    email_enqueue(
        to=request.requester_email,
        template="notifications/email/service_request_receipt",
        context=context,
        idempotency_key=f"service-request-receipt-{request.pk}",
    )
    if deflection is not None:
        deflection_outcome_set(deflection=deflection, outcome=DeflectionLog.Outcome.FORM_SENT)
    return request


testing_window_reminders_send.__test__ = False  # not a pytest test
