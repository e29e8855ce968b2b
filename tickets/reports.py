"""The reports page: tickets per week, backlog, time to reply and close, satisfaction and routing, for a range."""

from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from routing.models import DeflectionLog
from routing.selectors import deflection_counts
from tickets.models import Ticket
from tickets.reference import person_name, technician_list


class Median(Aggregate):
    """PostgreSQL's exact median (works on intervals too)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


def median_of(values: list[timedelta]) -> timedelta | None:
    """The median of durations gathered in Python, where the database has no median (SQLite)."""
    values = sorted(values)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def day_range(*, start: date, end: date, tz) -> tuple[datetime, datetime]:
    """The instants from the start of `start` to the end of `end` (inclusive), in the district's time zone."""
    return (
        datetime.combine(start, datetime.min.time(), tzinfo=tz),
        datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz),
    )


def report_weekly_counts(*, start: date, end: date, tz) -> list[dict]:
    """Tickets opened and closed per week (weeks start on Monday) between start and end, inclusive."""
    start_at, end_at = day_range(start=start, end=end, tz=tz)
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
    start_at, end_at = day_range(start=start, end=end, tz=tz)
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
        {"name": name, "count": g["count"], "first_reply": median_of(g["reply"]), "close": median_of(g["close"])}
        for name, g in sorted(groups.items(), key=lambda item: item[0] or "")
    ]


def report_satisfaction(*, start: date, end: date, tz) -> list[dict]:
    """Requesters' answers to "was it solved?" for tickets closed in the range, by school."""
    start_at, end_at = day_range(start=start, end=end, tz=tz)
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
    start_at, end_at = day_range(start=start, end=end, tz=tz)
    labels = dict(DeflectionLog.Outcome.choices)
    rows: dict[str, dict] = {}
    for item in deflection_counts(start=start_at, end=end_at):
        row = rows.setdefault(item["rule_name"], {"rule": item["rule_name"], "total": 0, "outcomes": []})
        row["total"] += item["count"]
        row["outcomes"].append(f"{labels.get(item['outcome'], item['outcome'])}: {item['count']}")
    return sorted(rows.values(), key=lambda row: (-row["total"], row["rule"]))


def _week_start(*, now: datetime, tz) -> datetime:
    """Monday 00:00 of this week, in the district's time zone."""
    today = now.astimezone(tz).date()
    return day_range(start=today - timedelta(days=today.weekday()), end=today, tz=tz)[0]


def report_headline(*, now: datetime, tz) -> dict:
    """The numbers a lead technician asks first: open now, this week's opened and closed, the median first reply."""
    week_start = _week_start(now=now, tz=tz)
    this_week = Q(created_at__gte=week_start)
    counts = {
        "open_now": Count("id", filter=Q(status__in=Ticket.OPEN_STATUSES)),
        "opened_this_week": Count("id", filter=this_week),
        "closed_this_week": Count("id", filter=Q(closed_at__gte=week_start)),
    }
    to_reply = ExpressionWrapper(F("first_response_at") - F("created_at"), output_field=DurationField())
    answered = this_week & Q(first_response_at__isnull=False)
    if connection.vendor == "postgresql":
        median = Median(to_reply, filter=answered, output_field=DurationField())
        return {"week_start": week_start.date(), **Ticket.objects.aggregate(**counts, median_first_reply=median)}
    replies = Ticket.objects.filter(answered).values_list("created_at", "first_response_at")
    return {
        "week_start": week_start.date(),
        **Ticket.objects.aggregate(**counts),
        "median_first_reply": median_of([reply - created for created, reply in replies]),
    }


def report_workload(*, now: datetime, tz) -> list[dict]:
    """Each technician's open tickets (and how many are urgent) and what they closed this week; unassigned last."""
    week_start = _week_start(now=now, tz=tz)
    is_open = Q(status__in=Ticket.OPEN_STATUSES)
    counts = {
        row["assignee"]: row
        for row in Ticket.objects.filter(is_open | Q(closed_at__gte=week_start))
        .values("assignee")
        .annotate(
            open=Count("id", filter=is_open),
            urgent=Count("id", filter=is_open & Q(priority=Ticket.Priority.URGENT)),
            closed_this_week=Count("id", filter=Q(closed_at__gte=week_start)),
        )
    }
    empty = {"open": 0, "urgent": 0, "closed_this_week": 0}
    rows = [{"name": person_name(user), **empty, **counts.get(user.pk, {})} for user in technician_list()]
    rows.sort(key=lambda row: (-row["open"], row["name"]))
    return [*rows, {"name": "Unassigned", **empty, **counts.get(None, {}), "closed_this_week": None}]


def report_for_range(*, start: date, end: date) -> dict:
    """Everything the reports page shows for one date range, in a fixed number of queries."""
    tz = timezone.get_current_timezone()
    weekly = report_weekly_counts(start=start, end=end, tz=tz)
    backlog_by_school = report_backlog(group_by="school")
    now = timezone.now()
    return {
        "headline": report_headline(now=now, tz=tz),
        "workload": report_workload(now=now, tz=tz),
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
