"""Demo data for a developer's own machine: a school week of tickets, a demo technician and a demo admin.

Loaded by `manage.py load_demo_data` (which `make run` calls). It refuses to run unless DEBUG is on, because its
logins have published passwords. Loading twice changes nothing: tickets are only added to a database without any.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from district.models import School, TicketType
from helpdesk.technicians import technicians_group
from routing.models import DeflectionLog, RoutingRule
from tickets.models import Attachment, Ticket, TicketEvent, TicketRoutingLog
from tickets.reference import person_name
from tickets.search import ticket_search_refresh
from tickets.services import ticket_number_next

DEMO_TECHNICIAN = "demo.tech"
DEMO_TECHNICIAN_PASSWORD = "npsd-demo-tech"  # noqa: S105  published on purpose: refused unless DEBUG
DEMO_ADMIN = "demo.admin"
DEMO_ADMIN_PASSWORD = "npsd-demo-admin"  # noqa: S105  published on purpose: refused unless DEBUG
DOMAIN = "northpanolaschools.org"


class DemoDataRefused(Exception):
    """The demo logins would be reachable on a real site."""


@dataclass(frozen=True)
class DemoReport:
    tickets_added: int
    logins: tuple[tuple[str, str, str, str], ...]  # (who, username, password, where to sign in)


SCHOOLS = {
    "HS": "North Panola High School",
    "JH": "North Panola Junior High School",
    "GH": "Green Hill Elementary School",
    "CR": "Crenshaw Elementary School",
    "CTC": "North Panola Career and Technical Center",
    "DO": "District Office",
}
# Technicians besides the demo login, so the queue shows work shared out. They cannot sign in with a password.
COLLEAGUES = [("marcus.bell", "Marcus", "Bell"), ("angela.price", "Angela", "Price")]

# The week's tickets. Each timeline entry has hours_after (the ticket), kind and body: "reply" and "note"
# are the assignee's, "requester" is the requester's emailed answer and "closed" the resolution.
DEMO_WEEK = Path(__file__).with_name("demo_week.json")
PRIORITIES = {level.name.lower(): level for level in Ticket.Priority}

# One request each kind of routing rule handled: (rule action, outcome, requester, school, subject).
DEFLECTIONS = [
    (RoutingRule.Action.REDIRECT_PERSON, DeflectionLog.Outcome.FORWARDED, "kendra.wells", "JH", "SAM password reset"),
    (RoutingRule.Action.REDIRECT_DESK, DeflectionLog.Outcome.SHOWN, "mike.dunn", "GH", "Heater in the gym is off"),
    (RoutingRule.Action.EXPLAIN, DeflectionLog.Outcome.SHOWN, "amy.ross", "JH", "Please order more toner"),
    (RoutingRule.Action.REQUEST_FORM, DeflectionLog.Outcome.FORM_OPENED, "ray.cooper", "CTC", "Quote for 5 laptops"),
    (RoutingRule.Action.CHANGE, DeflectionLog.Outcome.TICKET_CHANGED, "ms.hill", "DO", "Internet is down"),
    (RoutingRule.Action.REQUIRE_ROLE, DeflectionLog.Outcome.SHOWN, "luis.ortega", "HS", "Access levels for my class"),
]

ERROR_LOG = b"2026-11-30 07:52:14 Printer HP-GH-12: Paper jam in tray 2 (error 13.B2.D2)\n" * 3


def demo_data_load(*, now: datetime | None = None) -> DemoReport:
    """Add the demo logins (kept if present) and, to a database with no tickets, a week of tickets."""
    if not settings.DEBUG:
        raise DemoDataRefused(
            "The demo data and its logins (demo.tech, demo.admin) have published passwords, so they are only "
            "loaded with DJANGO_DEBUG=true, on your own computer. Nothing was changed."
        )
    now = now or timezone.now()
    with transaction.atomic():
        technicians = _demo_users()
        added = 0 if Ticket.objects.exists() else _demo_tickets(now=now, technicians=technicians)
    return DemoReport(
        tickets_added=added,
        logins=(
            ("Technician", DEMO_TECHNICIAN, DEMO_TECHNICIAN_PASSWORD, "/accounts/login/"),
            ("Administrator", DEMO_ADMIN, DEMO_ADMIN_PASSWORD, "/admin/"),
        ),
    )


def _demo_users() -> dict[str, User]:
    group = technicians_group()
    accounts = [(DEMO_TECHNICIAN, "Demo", "Technician", DEMO_TECHNICIAN_PASSWORD, False)]
    accounts += [(username, first, last, None, False) for username, first, last in COLLEAGUES]
    accounts.append((DEMO_ADMIN, "Demo", "Administrator", DEMO_ADMIN_PASSWORD, True))
    users = {}
    for username, first_name, last_name, password, is_admin in accounts:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@{DOMAIN}",
                "is_staff": True,
                "is_superuser": is_admin,
            },
        )
        if created:
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save(update_fields=["password"])
        if not is_admin:
            user.groups.add(group)
            users[username] = user
    return users


def _demo_tickets(*, now: datetime, technicians: dict[str, User]) -> int:
    schools = {key: School.objects.get(name=name) for key, name in SCHOOLS.items()}
    types = {ticket_type.name: ticket_type for ticket_type in TicketType.objects.all()}
    tickets = []
    for row in json.loads(DEMO_WEEK.read_text()):
        created_at = now - timedelta(hours=row["hours_ago"])
        assignee = technicians.get(row["assignee"])
        ticket = Ticket.objects.create(
            number=ticket_number_next(),
            requester_email=f"{row['requester']}@{DOMAIN}",
            subject=row["subject"],
            description=row["description"],
            ticket_type=types.get(row["type"]),
            school=schools[row["school"]],
            classroom=row["classroom"],
            priority=PRIORITIES[row["priority"]],
            status=row["status"],
            assignee=assignee,
            created_at=created_at,
            updated_at=created_at,
        )
        _demo_timeline(ticket, row["timeline"], assignee, now=now)
        tickets.append(ticket)
    first = tickets[0]
    attachment = Attachment(ticket=first, original_name="printer-error.log.txt", content_type="text/plain")
    attachment.size = len(ERROR_LOG)
    attachment.file.save("printer-error.log.txt", ContentFile(ERROR_LOG), save=True)
    urgent = next(ticket for ticket in tickets if ticket.priority == Ticket.Priority.URGENT)
    _demo_deflections(now=now, schools=schools, changed=urgent)
    ticket_search_refresh(ticket_ids=None)
    return len(tickets)


def _demo_timeline(ticket: Ticket, timeline: list, technician: User | None, *, now: datetime) -> None:
    """Write the ticket's replies, notes and closing, and the dates they imply."""
    latest = now - timedelta(minutes=5)
    if technician is not None:
        at = min(ticket.created_at + timedelta(minutes=20), latest)
        name = person_name(technician)  # as ticket_update records it
        _event(
            ticket,
            TicketEvent.Kind.CHANGE,
            technician,
            at,
            field_name="Assignee",
            old_value="Unassigned",
            new_value=name,
        )
    changes: dict = {}
    for entry in timeline:
        kind, body = entry["kind"], entry["body"]
        at = min(ticket.created_at + timedelta(hours=entry["hours_after"]), latest)
        if kind == "requester":
            _event(ticket, TicketEvent.Kind.REQUESTER_REPLY, None, at, body=body, correspondent=ticket.requester_email)
        else:
            _event(ticket, TicketEvent.Kind(kind), technician, at, body=body)
        if kind == "reply":
            changes.setdefault("first_response_at", at)
            changes["waiting_since"] = at if ticket.status == Ticket.Status.WAITING else None
        if kind == "closed":
            changes["closed_at"] = at
        changes["updated_at"] = at
    if ticket.status == Ticket.Status.RESOLVED:
        changes["closed_at"] = changes.get("updated_at", ticket.created_at)
    if changes:
        Ticket.objects.filter(pk=ticket.pk).update(**changes)


def _event(ticket: Ticket, kind: str, author: User | None, at: datetime, **fields) -> None:
    TicketEvent.objects.create(ticket=ticket, kind=kind, author=author, created_at=at, **fields)


def _demo_deflections(*, now: datetime, schools: dict[str, School], changed: Ticket) -> None:
    for index, (action, outcome, who, school, subject) in enumerate(DEFLECTIONS):
        rule = RoutingRule.objects.filter(action=action).order_by("order").first()
        if rule is None:  # an admin removed every rule of this kind
            continue
        log = DeflectionLog.objects.create(
            public_id=uuid.uuid4(),
            rule=rule,
            rule_name=rule.name,
            matched=rule.keywords.splitlines()[0] if rule.keywords else "",
            requester_email=f"{who}@{DOMAIN}",
            school=schools[school],
            subject=subject,
            outcome=outcome,
            created_at=now - timedelta(hours=6 + 20 * index),
        )
        if outcome == DeflectionLog.Outcome.TICKET_CHANGED:
            TicketRoutingLog.objects.create(ticket=changed, deflection=log)
            if rule.technician_note:
                Ticket.objects.filter(pk=changed.pk).update(routing_note=rule.technician_note)
