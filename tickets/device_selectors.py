"""Reads that need both a ticket and its device: the ticket page's device panel and a device's tickets."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef, QuerySet
from django.db.models.functions import JSONObject
from django.utils.dateparse import parse_datetime

from devices.models import Device, Loan
from devices.selectors import devices_per_model, loans_for_ticket
from helpdesk.links import link
from tickets.models import Ticket
from tickets.reference import schools_kept

EARLIER_TICKETS_SHOWN = 10
REPAIR_WARNING_COUNT = 3  # this ticket and two before it within REPAIR_WINDOW
REPAIR_WINDOW = timedelta(days=365)


@dataclass(frozen=True)
class EarlierTicket:
    """One line of the device panel's earlier tickets."""

    number: int
    subject: str
    status: str
    created_at: datetime

    def get_absolute_url(self) -> str:
        return link("tickets:detail", self.number)

    def get_status_display(self) -> str:
        return Ticket.Status(self.status).label


@dataclass
class DevicePanel:
    device: Device
    school_name: str  # the device's school, from the kept schools
    earlier: list[EarlierTicket]
    repairs_in_year: int
    loans: list[Loan] = field(default_factory=list)

    @property
    def is_repeat_repair(self) -> bool:
        return self.repairs_in_year >= REPAIR_WARNING_COUNT

    @property
    def open_loans(self) -> list[Loan]:
        return [loan for loan in self.loans if loan.returned_at is None]


def _earlier_tickets(device_id, created_at) -> QuerySet:
    """The tickets about the device opened before the ticket, newest first (the ticket's own values, or OuterRefs)."""
    return Ticket.objects.filter(device_id=device_id, created_at__lt=created_at).order_by("-created_at")


def earlier_tickets_annotation() -> dict:
    """For the ticket page's one query (tickets.selectors): on PostgreSQL, the device's earlier tickets as a JSON
    array, so the panel asks nothing of its own (a round trip and an ORM pass fewer). SQLite asks afterwards."""
    if connection.vendor != "postgresql":
        return {}
    rows = _earlier_tickets(OuterRef("device_id"), OuterRef("created_at"))
    row = JSONObject(number="number", subject="subject", status="status", created_at="created_at")
    return {"device_earlier_tickets": ArraySubquery(rows.values(row=row)[:EARLIER_TICKETS_SHOWN])}


def ticket_device_panel(*, ticket: Ticket) -> DevicePanel | None:
    """The device panel: nothing (and no query) for a ticket without a device; else its earlier tickets, from the
    ticket's own query on PostgreSQL (one small query on SQLite), and its loaners when that query says it has some."""
    if ticket.device_id is None:
        return None
    rows = getattr(ticket, "device_earlier_tickets", None)
    if rows is None:
        rows = _earlier_tickets(ticket.device_id, ticket.created_at).values(
            "number", "subject", "status", "created_at"
        )[:EARLIER_TICKETS_SHOWN]
    earlier = [
        EarlierTicket(
            number=row["number"],
            subject=row["subject"],
            status=row["status"],
            created_at=parse_datetime(row["created_at"]) if isinstance(row["created_at"], str) else row["created_at"],
        )
        for row in rows
    ]
    since = ticket.created_at - REPAIR_WINDOW
    repairs = 1 + sum(1 for other in earlier if other.created_at >= since)
    loans = loans_for_ticket(number=ticket.number) if getattr(ticket, "has_loans", True) else []
    device = ticket.device
    school_name = schools_kept().names.get(device.school_id, "")
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
