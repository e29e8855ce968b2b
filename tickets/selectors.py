import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Case as CaseWhen
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from devices.models import Loan
from tickets.device_selectors import earlier_tickets_annotation
from tickets.models import (
    Attachment,
    PendingAddition,
    SchoolOpenCount,
    Ticket,
    TicketEvent,
)
from tickets.queue_rows import ShortTimes
from tickets.reference import names_with, schools_kept, technicians_kept
from tickets.search import tickets_search

User = get_user_model()

# A ticket open longer is old: highlighted in the queue, and weighed more when ranking schools to visit.
OLD_TICKET_DAYS = 7
AGE_STEP_DAYS = OLD_TICKET_DAYS
# Points per open ticket when ranking schools to visit; an older ticket counts double, then triple.
PRIORITY_POINTS = {
    Ticket.Priority.URGENT: 8,
    Ticket.Priority.HIGH: 4,
    Ticket.Priority.MEDIUM: 2,
    Ticket.Priority.LOW: 1,
}
SCHOOL_RANKING_EXPLAINED = (
    "Each open ticket counts Urgent 8, High 4, Medium 2 and Low 1 points. A ticket open more than a week counts "
    "double, and more than two weeks triple. Schools with the most points come first."
)


def ticket_for_confirmation(*, public_id, allowed_public_ids: list[str]) -> Ticket | None:
    """Return the just-submitted ticket, only for the browser session that submitted it."""
    if str(public_id) not in allowed_public_ids:
        return None
    return (
        Ticket.objects.select_related("school", "ticket_type")
        .prefetch_related("attachments")
        .filter(public_id=public_id)
        .first()
    )


def requester_open_tickets_ranked(*, email: str, subject: str, description: str, limit: int = 5) -> list[Ticket]:
    """The requester's open tickets, the likeliest duplicate of this new request first."""
    tickets = Ticket.objects.filter(requester_email=email, status__in=Ticket.OPEN_STATUSES).select_related("school")
    if connection.vendor == "postgresql":
        likeness = TrigramSimilarity("subject", subject) + TrigramSimilarity("description", description)
        return list(tickets.annotate(likeness=likeness).order_by("-likeness", "-created_at")[:limit])

    # SQLite: a person has few open tickets, so compare them in Python.
    def likeness_of(ticket: Ticket) -> float:
        return (
            SequenceMatcher(None, ticket.subject.lower(), subject.lower()).ratio()
            + SequenceMatcher(None, ticket.description.lower()[:2000], description.lower()[:2000]).ratio()
        )

    return sorted(tickets[:50], key=lambda ticket: (-likeness_of(ticket), -ticket.created_at.timestamp()))[:limit]


@dataclass(frozen=True)
class DuplicateCheck:
    """The requester's open tickets, and what the person chose to do about them on the form."""

    open_tickets: list[Ticket]
    add_to: Ticket | None  # the open ticket the person chose to add this submission to
    needs_choice: bool  # there are open tickets and the person has not chosen yet

    @property
    def possible_duplicate_of(self) -> Ticket | None:
        return self.open_tickets[0] if self.open_tickets else None


def submission_duplicate_check(*, email: str, subject: str, description: str, choice: str) -> DuplicateCheck:
    """Weigh a new submission against the requester's open tickets; `choice` is "new" or "add:<number>" or empty."""
    # "If you have not received an email indicating your ticket has been closed, please do not submit another."
    open_tickets = requester_open_tickets_ranked(email=email, subject=subject, description=description)
    add_to = next((ticket for ticket in open_tickets if choice == f"add:{ticket.number}"), None)
    return DuplicateCheck(
        open_tickets=open_tickets, add_to=add_to, needs_choice=bool(open_tickets) and add_to is None and choice != "new"
    )


def testing_first_key(*, now: datetime):
    """While a testing window is open, an ordering key that puts its schools' testing tickets first; else None."""
    from routing.selectors import testing_windows_open

    windows = testing_windows_open(at=now)
    if not windows:
        return None
    about_testing = Q(ticket_type__is_about_testing=True)
    if all(school_ids for _, school_ids in windows):
        about_testing &= Q(school_id__in={school_id for _, school_ids in windows for school_id in school_ids})
    return CaseWhen(When(about_testing, then=Value(0)), default=Value(1), output_field=IntegerField())


def ticket_queryset_for_queue() -> QuerySet:
    return Ticket.objects.select_related("school", "ticket_type", "assignee").defer("description", "search_vector")


def queue_row_signals() -> dict[str, Subquery]:
    """Annotations for the queue's one query: `last_public_kind`, the kind of the ticket's latest conversation event.

    Computed by the database for the page's rows only (after ORDER BY and LIMIT), from the timeline index.
    """
    latest = TicketEvent.objects.filter(ticket=OuterRef("pk"), kind__in=TicketEvent.CONVERSATION_KINDS)
    return {"last_public_kind": Subquery(latest.order_by("-created_at", "-pk").values("kind")[:1])}


def school_visit_order(*, now: datetime) -> list[dict]:
    """Rank schools by their open tickets, weighted by priority and age, highest score first."""
    week_ago, two_weeks_ago = now - timedelta(days=AGE_STEP_DAYS), now - timedelta(days=2 * AGE_STEP_DAYS)
    if connection.vendor == "postgresql":
        # Every open ticket counts triple, less what the recent ones (a small index range) do not earn yet; the
        # totals come from rows a trigger keeps current, so the cost does not grow with the open backlog.
        counts = SchoolOpenCount.objects.filter(open_count__gt=0).values_list("school_id", "priority", "open_count")
    else:
        counts = Ticket.objects.filter(status__in=Ticket.OPEN_STATUSES).values_list("school_id", "priority")
        counts = counts.annotate(n=Count("id")).order_by()
    recent = Ticket.objects.filter(status__in=Ticket.OPEN_STATUSES, created_at__gte=two_weeks_ago)
    recent = recent.values_list("school_id", "priority").order_by()
    recent = recent.annotate(week=Count("id", filter=Q(created_at__gte=week_ago)), n=Count("id"))
    unearned = {(school_id, priority): 2 * week + (n - week) for school_id, priority, week, n in recent}
    names = schools_kept().names
    schools: dict[int, dict] = {}
    for school_id, priority, count in counts:
        school = schools.setdefault(
            school_id,
            {"pk": school_id, "name": names.get(school_id, ""), "open_count": 0, "score": 0}
            | {f"count_{level.name.lower()}": 0 for level in Ticket.Priority},
        )
        school["open_count"] += count
        school[f"count_{Ticket.Priority(priority).name.lower()}"] += count
        weighted = 3 * count - unearned.get((school_id, priority), 0)
        school["score"] += PRIORITY_POINTS.get(priority, 1) * weighted
    return sorted(schools.values(), key=lambda school: (-school["score"], -school["open_count"], school["name"]))


def ticket_open_count(*, school_id: int | None = None, priority: str | int | None = None) -> int | None:
    """How many tickets are open (optionally at one school or priority) from the kept counts; None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    counts = SchoolOpenCount.objects.all()
    if school_id:
        counts = counts.filter(school_id=school_id)
    if priority:
        counts = counts.filter(priority=priority)
    return counts.aggregate(total=Sum("open_count", default=0))["total"]


# Apps built on tickets add a yes/no of their own to the ticket page's one query (inbound: `has_held_email`), so the
# page asks for their lists only when there is something to show, and tickets need not import them.
TICKET_PAGE_FLAGS: dict[str, Callable[[], Exists]] = {}


def ticket_for_technician(*, number: int) -> Ticket | None:
    """The ticket with its device, `has_attachments`, `has_merged_tickets`, `has_loans` and TICKET_PAGE_FLAGS.

    One query: the flags let the page skip the lists a ticket does not have. The search column is read though never
    shown: deferring it cost more to compile than reading it (a few hundred bytes). Its school, type and assignee
    are not joined: the page names them from the kept tables (tickets.reference), and PostgreSQL spent longer
    planning five joins than running the query.
    """
    try:
        return _ticket_page_tickets().get(number=number)  # get() clones it, and builds no ORDER BY for one row
    except Ticket.DoesNotExist:
        return None


@functools.cache
def _ticket_page_tickets() -> QuerySet:
    """Built once per process, as a generic view's `queryset` is, and cloned by each call: resolving the joins and
    the three subqueries again on every page cost more than PostgreSQL spent running the query."""
    return Ticket.objects.select_related("device").annotate(
        has_attachments=Exists(Attachment.objects.filter(ticket=OuterRef("pk"))),
        has_merged_tickets=Exists(Ticket.objects.filter(merged_into=OuterRef("pk"))),
        has_loans=Exists(Loan.objects.filter(ticket_number=OuterRef("number"))),  # loaners lent from it
        **{name: flag() for name, flag in TICKET_PAGE_FLAGS.items()},
        **earlier_tickets_annotation(),  # the device panel's list, in this same query on PostgreSQL
    )


def ticket_correspondents(*, ticket: Ticket) -> list[str]:
    """Requesters of tickets merged into this one, other than its own: technicians may reply to each of them."""
    if not getattr(ticket, "has_merged_tickets", True):
        return []
    emails = (
        Ticket.objects.filter(merged_into=ticket)
        .exclude(requester_email=ticket.requester_email)
        .values_list("requester_email", flat=True)
        .distinct()
    )
    return sorted(emails)


def ticket_timeline(*, ticket: Ticket) -> list[TicketEvent]:
    """The ticket's events, oldest first, each with `author_name` and its time as `time_iso` and `time_label`.

    Names come from the kept technicians (tickets.reference), and any other author's (a former technician) from
    one query: a join to the users table cost more than the lookup. Times are written as the queue writes them
    (queue_rows.ShortTimes): two date filters per event were the timeline's largest cost.
    """
    events = list(ticket.events.all())  # the model's ordering: oldest first; each event's `ticket` is this one
    names = names_with(technicians_kept().names, (event.author_id for event in events))
    times = ShortTimes()
    for event in events:
        event.author_name = names.get(event.author_id, "")
        event.time_iso, event.time_label = times(event.created_at)
    return events


def ticket_attachments(*, ticket: Ticket) -> list[Attachment]:
    if not getattr(ticket, "has_attachments", True):
        return []
    return list(ticket.attachments.order_by("uploaded_at", "pk"))


def attachment_for_technician(*, number: int, attachment_id: int) -> Attachment | None:
    return Attachment.objects.filter(pk=attachment_id, ticket__number=number).first()


def pending_addition_for_token(*, token: str, now: datetime | None = None) -> PendingAddition | None:
    """The addition an emailed link names, or None when it was confirmed, ignored, expired or never existed."""
    now = now or timezone.now()
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    return PendingAddition.objects.select_related("ticket").filter(token_hash=token_hash, expires_at__gt=now).first()


MERGE_CANDIDATES_SHOWN = 8


def merge_candidates(*, ticket: Ticket, query: str) -> list[Ticket]:
    """Tickets this one could be merged into: by number (any that was not itself merged), else open tickets whose
    subject, description or conversation match the words, best match first."""
    others = Ticket.objects.filter(merged_into__isnull=True).exclude(pk=ticket.pk).select_related("school")
    query = query.strip().lstrip("#")
    if query.isdigit():
        return list(others.filter(number=int(query))[:1])
    if not query:
        return []
    return list(tickets_search(others.filter(status__in=Ticket.OPEN_STATUSES), query)[:MERGE_CANDIDATES_SHOWN])


def requester_spoke_last(timeline: list[TicketEvent]) -> bool:
    """Whether the conversation's last word is the requester's: the queue's *Requester replied* (queue_row_signals)."""
    spoken = [event for event in timeline if event.kind in TicketEvent.CONVERSATION_KINDS]
    return bool(spoken) and spoken[-1].kind in TicketEvent.REQUESTER_KINDS
