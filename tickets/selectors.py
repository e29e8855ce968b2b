import re
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import TruncWeek
from django.utils import timezone

from tickets.models import Attachment, CannedResponse, School, SchoolOpenCount, Ticket, TicketEvent

User = get_user_model()

# Points per open ticket when ranking schools to visit; an older ticket counts double, then triple.
PRIORITY_POINTS = {
    Ticket.Priority.URGENT: 8,
    Ticket.Priority.HIGH: 4,
    Ticket.Priority.MEDIUM: 2,
    Ticket.Priority.LOW: 1,
}
AGE_STEP_DAYS = 7
SCHOOL_RANKING_EXPLAINED = (
    "Each open ticket counts Urgent 8, High 4, Medium 2 and Low 1 points. A ticket open more than a week counts "
    "double, and more than two weeks triple. Schools with the most points come first."
)
OLD_TICKET_DAYS = 7
TICKET_NUMBER_QUERY = re.compile(r"^#?\s*(\d{1,9})$")


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


def user_is_technician(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=settings.HELPDESK_TECHNICIANS_GROUP).exists()


def technician_list() -> QuerySet:
    """Active users who can be assigned tickets."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=settings.HELPDESK_TECHNICIANS_GROUP))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def testing_first_key(*, now: datetime):
    """While a testing window is open, an ordering key that puts its schools' testing tickets first; else None."""
    from routing.models import TestingWindow

    windows = list(TestingWindow.objects.filter(starts_at__lte=now, ends_at__gt=now).prefetch_related("schools"))
    if not windows:
        return None
    about_testing = Q(ticket_type__is_about_testing=True)
    if all(window.schools.all() for window in windows):
        about_testing &= Q(school_id__in={school.pk for window in windows for school in window.schools.all()})
    return CaseWhen(When(about_testing, then=Value(0)), default=Value(1), output_field=IntegerField())


def ticket_queryset_for_queue() -> QuerySet:
    return Ticket.objects.select_related("school", "ticket_type", "assignee").defer("description", "search_vector")


def tickets_search(queryset: QuerySet, query: str) -> QuerySet:
    """Filter by a search across number, subject, description, replies, notes and requester, best match first."""
    query = query.strip()
    if not query:
        return queryset
    number_match = TICKET_NUMBER_QUERY.match(query)
    by_number = Q(number=int(number_match.group(1))) if number_match else Q(pk__in=[])
    if connection.vendor == "postgresql":
        search = SearchQuery(query, search_type="websearch", config="english") | SearchQuery(
            query, search_type="plain", config="simple"
        )
        by_email = Q(requester_email=query.lower()) if "@" in query else Q(pk__in=[])
        return (
            queryset.filter(Q(search_vector=search) | by_number | by_email)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "-created_at", "-id")
        )
    in_events = TicketEvent.objects.filter(ticket=OuterRef("pk"), body__icontains=query)
    return queryset.filter(
        by_number
        | Q(subject__icontains=query)
        | Q(description__icontains=query)
        | Q(requester_email__icontains=query)
        | Exists(in_events)
    )


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
    names = dict(School.objects.values_list("pk", "name"))
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


def ticket_for_technician(*, number: int) -> Ticket | None:
    # Merged, possible-duplicate and overridden-rule links are rare and load on use (one query each when set):
    # joining tickets_ticket to itself twice made planning this one row cost more than reading it.
    return Ticket.objects.select_related("school", "ticket_type", "assignee").filter(number=number).first()


def ticket_timeline(*, ticket: Ticket) -> QuerySet:
    return ticket.events.select_related("author").order_by("created_at", "pk")


def ticket_attachments(*, ticket: Ticket) -> QuerySet:
    return ticket.attachments.order_by("uploaded_at", "pk")


def attachment_for_technician(*, number: int, attachment_id: int) -> Attachment | None:
    return Attachment.objects.filter(pk=attachment_id, ticket__number=number).first()


def canned_response_list() -> QuerySet:
    return CannedResponse.objects.filter(is_active=True).order_by("title")


class Median(Aggregate):
    """PostgreSQL's exact median (works on intervals too)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


def _median(values: list[timedelta]) -> timedelta | None:
    values = sorted(values)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _day_range(*, start: date, end: date, tz) -> tuple[datetime, datetime]:
    """The instants from the start of `start` to the end of `end` (inclusive), in the district's time zone."""
    return (
        datetime.combine(start, datetime.min.time(), tzinfo=tz),
        datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz),
    )


def report_weekly_counts(*, start: date, end: date, tz) -> list[dict]:
    """Tickets opened and closed per week (weeks start on Monday) between start and end, inclusive."""
    start_at, end_at = _day_range(start=start, end=end, tz=tz)
    opened = dict(
        Ticket.objects.filter(created_at__gte=start_at, created_at__lt=end_at)
        .annotate(week=TruncWeek("created_at", tzinfo=tz))
        .values("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    closed = dict(
        Ticket.objects.filter(closed_at__gte=start_at, closed_at__lt=end_at)
        .annotate(week=TruncWeek("closed_at", tzinfo=tz))
        .values("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    opened = {key.date(): n for key, n in opened.items()}
    closed = {key.date(): n for key, n in closed.items()}
    weeks, week = [], start - timedelta(days=start.weekday())
    while week <= end:
        weeks.append(week)
        week += timedelta(days=7)
    return [{"week": week, "opened": opened.get(week, 0), "closed": closed.get(week, 0)} for week in weeks]


def report_backlog(*, group_by: str) -> list[dict]:
    """Open tickets now, by school or by type, largest first."""
    field = {"school": "school__name", "type": "ticket_type__name"}[group_by]
    return list(
        Ticket.objects.filter(status__in=Ticket.OPEN_STATUSES)
        .values(name=F(field))
        .annotate(count=Count("id"))
        .order_by("-count", "name")
    )


def report_median_durations(*, start: date, end: date, tz, group_by: str) -> list[dict]:
    """Median time to first reply and to close, by school or type, for tickets opened between start and end."""
    field = {"school": "school__name", "type": "ticket_type__name"}[group_by]
    start_at, end_at = _day_range(start=start, end=end, tz=tz)
    tickets = Ticket.objects.filter(created_at__gte=start_at, created_at__lt=end_at)
    to_reply = ExpressionWrapper(F("first_response_at") - F("created_at"), output_field=DurationField())
    to_close = ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        rows = (
            tickets.values(name=F(field))
            .annotate(
                count=Count("id"),
                first_reply=Median(to_reply, filter=Q(first_response_at__isnull=False), output_field=DurationField()),
                close=Median(to_close, filter=Q(closed_at__isnull=False), output_field=DurationField()),
            )
            .order_by("name")
        )
        return list(rows)
    # SQLite has no median: gather the durations (a development fallback, not for 100,000 tickets).
    groups: dict = {}
    for name, created_at, first_response_at, closed_at in tickets.values_list(
        field, "created_at", "first_response_at", "closed_at"
    ):
        group = groups.setdefault(name, {"count": 0, "reply": [], "close": []})
        group["count"] += 1
        if first_response_at:
            group["reply"].append(first_response_at - created_at)
        if closed_at:
            group["close"].append(closed_at - created_at)
    return [
        {"name": name, "count": g["count"], "first_reply": _median(g["reply"]), "close": _median(g["close"])}
        for name, g in sorted(groups.items(), key=lambda item: item[0] or "")
    ]


def report_satisfaction(*, start: date, end: date, tz) -> list[dict]:
    """Requesters' answers to "was it solved?" for tickets closed in the range, by school."""
    start_at, end_at = _day_range(start=start, end=end, tz=tz)
    return list(
        Ticket.objects.filter(closed_at__gte=start_at, closed_at__lt=end_at)
        .values(name=F("school__name"))
        .annotate(
            closed=Count("id"),
            solved=Count("id", filter=Q(satisfaction=Ticket.Satisfaction.SOLVED)),
            not_solved=Count("id", filter=Q(satisfaction=Ticket.Satisfaction.NOT_SOLVED)),
        )
        .order_by("name")
    )


def report_deflections(*, start: date, end: date, tz) -> list[dict]:
    """Requests the routing rules handled in the range, one row per rule with a count per outcome."""
    from routing.models import DeflectionLog
    from routing.selectors import deflection_counts

    start_at, end_at = _day_range(start=start, end=end, tz=tz)
    labels = dict(DeflectionLog.Outcome.choices)
    rows: dict[str, dict] = {}
    for item in deflection_counts(start=start_at, end=end_at):
        row = rows.setdefault(item["rule_name"], {"rule": item["rule_name"], "total": 0, "outcomes": []})
        row["total"] += item["count"]
        row["outcomes"].append(f"{labels.get(item['outcome'], item['outcome'])}: {item['count']}")
    return sorted(rows.values(), key=lambda row: (-row["total"], row["rule"]))


def report_for_range(*, start: date, end: date) -> dict:
    """Everything the reports page shows for one date range, in a fixed number of queries."""
    tz = timezone.get_current_timezone()
    weekly = report_weekly_counts(start=start, end=end, tz=tz)
    backlog_by_school = report_backlog(group_by="school")
    return {
        "start": start,
        "end": end,
        "weekly": weekly,
        "backlog_by_school": backlog_by_school,
        "backlog_by_type": report_backlog(group_by="type"),
        "durations_tables": [
            ("By school", report_median_durations(start=start, end=end, tz=tz, group_by="school")),
            ("By type", report_median_durations(start=start, end=end, tz=tz, group_by="type")),
        ],
        "satisfaction": report_satisfaction(start=start, end=end, tz=tz),
        "deflections": report_deflections(start=start, end=end, tz=tz),
        "chart_data": {
            "weekly": {
                "labels": [row["week"].strftime("%b %-d") for row in weekly],
                "opened": [row["opened"] for row in weekly],
                "closed": [row["closed"] for row in weekly],
            },
            "backlog": {
                "labels": [row["name"] for row in backlog_by_school],
                "counts": [row["count"] for row in backlog_by_school],
            },
        },
    }
