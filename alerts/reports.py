"""Response targets report: the share of tickets that met each target, by school, type and priority."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q

from alerts.models import TicketClock
from district.models import Priority

GROUPS = {"school": ("ticket__school__name", "School"), "type": ("ticket__ticket_type__name", "Type")}
GROUPS["priority"] = ("ticket__priority", "Priority")


@dataclass(frozen=True)
class TargetRow:
    group: str  # "School", "Type", "Priority"
    name: str
    first_met: int
    first_missed: int
    resolve_met: int
    resolve_missed: int

    @staticmethod
    def _share(met: int, missed: int) -> str:
        return f"{round(100 * met / (met + missed))}%" if met + missed else "—"

    @property
    def first_share(self) -> str:
        return self._share(self.first_met, self.first_missed)

    @property
    def resolve_share(self) -> str:
        return self._share(self.resolve_met, self.resolve_missed)


def targets_met(*, start: datetime.date, end: datetime.date, now: datetime.datetime) -> list[TargetRow]:
    """For tickets opened from start to end: how many met and missed each target, per school, type and priority.

    A target is missed once its due time has passed without the reply (or the closing); a ticket still inside it
    counts for neither."""
    clocks = TicketClock.objects.filter(
        ticket__created_at__date__gte=start, ticket__created_at__date__lte=end, ticket__merged_into__isnull=True
    )  # a duplicate merged into another ticket is answered there
    counts = {
        "first_met": Count("pk", filter=Q(ticket__first_response_at__lte=F("first_reply_due_at"))),
        "first_missed": Count(
            "pk",
            filter=Q(ticket__first_response_at__gt=F("first_reply_due_at"))
            | Q(ticket__first_response_at__isnull=True, first_reply_due_at__lt=now),
        ),
        "resolve_met": Count("pk", filter=Q(ticket__closed_at__lte=F("resolve_due_at"))),
        "resolve_missed": Count(
            "pk",
            filter=Q(ticket__closed_at__gt=F("resolve_due_at"))
            | Q(ticket__closed_at__isnull=True, resolve_due_at__lt=now, paused_at__isnull=True),
        ),
    }
    rows = []
    for field, label in GROUPS.values():
        for values in clocks.values(field).annotate(**counts).order_by(field):
            name = values[field]
            if label == "Priority":
                name = Priority(name).label
            rows.append(TargetRow(group=label, name=name or "None", **{key: values[key] for key in counts}))
    return rows
