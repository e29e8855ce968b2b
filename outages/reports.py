"""The outages report: each outage of a range, and linked tickets' first-reply times apart from ordinary tickets'."""

from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef

from outages.models import Outage, OutageTicket
from outages.selectors import outages_with_school_names
from tickets.models import Ticket
from tickets.reports import Median, day_range, median_of


def outages_report(*, start: date, end: date, tz) -> dict:
    """Outages started in the range (start, end, duration, schools, tickets, people) and median first replies."""
    start_at, end_at = day_range(start=start, end=end, tz=tz)
    outages = list(
        outages_with_school_names(Outage.objects.filter(started_at__gte=start_at, started_at__lt=end_at))
        .annotate(ticket_count=Count("links", distinct=True), people_count=Count("people", distinct=True))
        .order_by("-started_at")
    )
    for outage in outages:
        outage.duration = (outage.resolved_at - outage.started_at) if outage.resolved_at else None
    wait = ExpressionWrapper(F("first_response_at") - F("created_at"), output_field=DurationField())
    replied = Ticket.objects.filter(
        created_at__gte=start_at, created_at__lt=end_at, first_response_at__isnull=False
    ).annotate(is_linked=Exists(OutageTicket.objects.filter(ticket_id=OuterRef("pk"))))
    medians = _first_reply_medians(replied, wait)
    return {
        "outages": outages,
        "first_reply": [
            {
                "label": "Ordinary tickets",
                "count": medians.get(False, (0, None))[0],
                "median": medians.get(False, (0, None))[1],
            },
            {
                "label": "Tickets linked to an outage",
                "count": medians.get(True, (0, None))[0],
                "median": medians.get(True, (0, None))[1],
            },
        ],
    }


def _first_reply_medians(replied, wait) -> dict[bool, tuple[int, timedelta | None]]:
    """(count, median first reply) for linked (True) and ordinary (False) tickets."""
    if connection.vendor == "postgresql":
        return {
            is_linked: (count, median)
            for is_linked, count, median in replied.values("is_linked")
            .annotate(count=Count("id"), median=Median(wait))
            .values_list("is_linked", "count", "median")
        }
    # SQLite has no median (make run's embedded database): gather the waits, as tickets' reports do there.
    waits: dict[bool, list[timedelta]] = {}
    for is_linked, created_at, first_response_at in replied.values_list("is_linked", "created_at", "first_response_at"):
        waits.setdefault(is_linked, []).append(first_response_at - created_at)
    return {is_linked: (len(found), median_of(found)) for is_linked, found in waits.items()}
