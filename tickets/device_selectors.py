"""Reads that need both a ticket and its device: the ticket page's device panel and a device's tickets."""

from dataclasses import dataclass, field
from datetime import timedelta

from devices.models import Device, Loan
from devices.selectors import devices_per_model, loans_for_ticket
from tickets.models import Ticket
from tickets.reference import kept_name, schools_kept

EARLIER_TICKETS_SHOWN = 10
REPAIR_WARNING_COUNT = 3  # this ticket and two before it within REPAIR_WINDOW
REPAIR_WINDOW = timedelta(days=365)


@dataclass
class DevicePanel:
    device: Device
    school_name: str  # the device's school, from the kept schools
    earlier: list[Ticket]
    repairs_in_year: int
    loans: list[Loan] = field(default_factory=list)

    @property
    def is_repeat_repair(self) -> bool:
        return self.repairs_in_year >= REPAIR_WARNING_COUNT

    @property
    def open_loans(self) -> list[Loan]:
        return [loan for loan in self.loans if loan.returned_at is None]


def ticket_device_panel(*, ticket: Ticket) -> DevicePanel | None:
    """The device panel: nothing (and no query) for a ticket without a device, else one small query (and one for
    its loaners when the ticket page's query says it has some)."""
    if ticket.device_id is None:
        return None
    earlier = list(
        Ticket.objects.filter(device_id=ticket.device_id, created_at__lt=ticket.created_at)
        .only("number", "subject", "status", "created_at")
        .order_by("-created_at")[:EARLIER_TICKETS_SHOWN]
    )
    since = ticket.created_at - REPAIR_WINDOW
    repairs = 1 + sum(1 for other in earlier if other.created_at >= since)
    loans = loans_for_ticket(number=ticket.number) if getattr(ticket, "has_loans", True) else []
    device = ticket.device
    school_name = kept_name(schools_kept(), device.school_id)
    return DevicePanel(device=device, school_name=school_name, earlier=earlier, repairs_in_year=repairs, loans=loans)


def device_tickets(*, device: Device, limit: int = 100) -> list[Ticket]:
    return list(
        Ticket.objects.filter(device=device)
        .select_related("school", "assignee")
        .only("number", "subject", "status", "created_at", "closed_at", "school__name", "assignee__username")
        .order_by("-created_at")[:limit]
    )


@dataclass(frozen=True)
class ModelRepairs:
    kind: str
    model: str
    tickets: int
    devices_repaired: int
    fleet: int


def repairs_by_model(*, since) -> list[ModelRepairs]:
    """Tickets about a device since `since`, per kind and model, beside how many of that model the district has."""
    from django.db.models import Count

    fleet = {(row["kind"], row["model"]): row["n"] for row in devices_per_model()}
    rows = (
        Ticket.objects.filter(device__isnull=False, created_at__gte=since)
        .values("device__kind", "device__model")
        .annotate(tickets=Count("pk"), devices=Count("device", distinct=True))
        .order_by("-tickets", "device__model")
    )
    kinds = dict(Device.Kind.choices)
    return [
        ModelRepairs(
            kind=kinds.get(row["device__kind"], row["device__kind"]),
            model=row["device__model"] or "Unknown model",
            tickets=row["tickets"],
            devices_repaired=row["devices"],
            fleet=fleet.get((row["device__kind"], row["device__model"]), 0),
        )
        for row in rows
    ]
