"""Every read of outages: Known issues, the outage a submission matches, the queue's notices, the pages."""

from datetime import timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import Aggregate, Count, JSONField, Q, QuerySet
from django.utils import timezone

from district.models import School
from helpdesk.kept import kept_table
from outages.models import Outage, PossibleOutage
from tickets.models import Ticket

# Open tickets this recent are offered for linking when declaring an outage.
CANDIDATE_HOURS = 24


class _JSONGroupArray(Aggregate):
    """SQLite's json_group_array: ArrayAgg for the embedded database `make run` uses without PostgreSQL."""

    function = "JSON_GROUP_ARRAY"
    allow_distinct = True
    output_field = JSONField()


def _schools_array(field: str):
    """The outage's schools' `field` values as a list (none for a district-wide outage), on either database."""
    if connection.vendor == "postgresql":
        return ArrayAgg(f"schools__{field}", distinct=True, order_by=f"schools__{field}", default=[])
    return _JSONGroupArray(f"schools__{field}", distinct=True, filter=Q(schools__isnull=False))


def outages_with_school_names(outages: QuerySet) -> QuerySet:
    return outages.annotate(school_names=_schools_array("name"))


@kept_table("outages:open:v1", seconds=60, forgotten_by=(Outage, Outage.schools.through, School))
def outages_open() -> list[Outage]:
    """Known issues: the open outages with their schools, read once and kept until an outage or school changes."""
    outages = outages_with_school_names(Outage.objects.filter(resolved_at__isnull=True)).annotate(
        school_ids=_schools_array("id")
    )
    return list(outages.select_related(None).order_by("-started_at"))


def outage_matching(*, school_id: int | None, ticket_type_id: int | None) -> Outage | None:
    """The open outage a submission from this school, of this type, is probably about (from the kept list)."""
    if school_id is None:
        return None
    for outage in outages_open():
        at_school = outage.is_district_wide or school_id in outage.school_ids
        if at_school and outage.ticket_type_id in (None, ticket_type_id):
            return outage
    return None


def outages_open_with_counts() -> list[Outage]:
    """The open outages with how many of their linked tickets are still open."""
    open_links = Q(links__ticket__status__in=Ticket.OPEN_STATUSES)
    return list(
        Outage.objects.filter(resolved_at__isnull=True)
        .annotate(open_count=Count("links", filter=open_links))
        .order_by("-started_at")
    )


@kept_table("outages:pending:v1", seconds=60, forgotten_by=(PossibleOutage, School))
def possible_outages_pending() -> list[PossibleOutage]:
    """The queue's Possible outage notices, kept until a detection changes (no query on most queue pages)."""
    return list(
        PossibleOutage.objects.filter(status=PossibleOutage.Status.PENDING).select_related("school", "ticket_type")
    )


def possible_outage_pending(*, detection_id) -> PossibleOutage | None:
    return (
        PossibleOutage.objects.filter(pk=detection_id, status=PossibleOutage.Status.PENDING)
        .select_related("school", "ticket_type")
        .first()
    )


def outage_for_technician(*, public_id) -> Outage | None:
    return (
        outages_with_school_names(Outage.objects.all())
        .select_related("ticket_type", "declared_by")
        .annotate(people_count=Count("people", distinct=True))
        .filter(public_id=public_id)
        .first()
    )


def outage_linked_tickets(*, outage: Outage) -> list[Ticket]:
    return list(Ticket.objects.filter(outage_link__outage=outage).select_related("school").order_by("number"))


def outage_for_ticket(*, number: int) -> Outage | None:
    return Outage.objects.filter(links__ticket__number=number).first()


def outages_recent(*, limit: int = 50) -> list[Outage]:
    return list(
        outages_with_school_names(Outage.objects.all())
        .select_related("ticket_type")
        .annotate(ticket_count=Count("links", distinct=True))
        .order_by("-started_at")[:limit]
    )


def declare_candidates(*, school_ids: list[int], ticket_type_id: int | None) -> list[Ticket]:
    """Open tickets not in an outage, of the last day, at these schools (all if none) and of this type."""
    tickets = Ticket.objects.filter(
        status__in=Ticket.OPEN_STATUSES,
        outage_link__isnull=True,
        created_at__gte=timezone.now() - timedelta(hours=CANDIDATE_HOURS),
    )
    if school_ids:
        tickets = tickets.filter(school_id__in=school_ids)
    if ticket_type_id:
        tickets = tickets.filter(ticket_type_id=ticket_type_id)
    return list(tickets.select_related("school", "ticket_type").order_by("-created_at")[:100])
