"""Reads for alerts: the school calendar, who covers a school, each technician's choices, who hears what."""

import datetime
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from alerts.models import DEFAULT_DELIVERY, AlertPreference, Delivery, Kind, ResponseTarget, SchoolDay
from alerts.school_time import SchoolCalendar
from district.models import School
from helpdesk.kept import kept_table
from helpdesk.technicians import technician_filter
from routing.models import ClosedDay
from routing.selectors import closed_days_between

MENTION = re.compile(r"(?<![\w.@])@([\w.+-]+)")
CALENDAR_SPAN = datetime.timedelta(days=400)
KEPT_REACH = datetime.timedelta(days=300)  # a kept calendar answers for moments this near today
KEPT_SECONDS = 60


def _calendar_around(around: datetime.datetime) -> SchoolCalendar:
    hours = SchoolDay.objects.filter(pk=1).values_list("starts_at", "ends_at").first()
    starts, ends = hours or (SchoolCalendar.starts, SchoolCalendar.ends)
    closed = closed_days_between(start=(around - CALENDAR_SPAN).date(), end=(around + CALENDAR_SPAN).date())
    return SchoolCalendar(starts=starts, ends=ends, closed=frozenset(closed))


@kept_table("alerts:calendar:v1", seconds=KEPT_SECONDS, forgotten_by=(SchoolDay, ClosedDay))
def school_calendar_kept() -> SchoolCalendar:
    """The school day and the closed days 400 days either side of today, kept: alerts ask on every ticket event."""
    return _calendar_around(timezone.now())


def school_calendar(*, around: datetime.datetime | None = None) -> SchoolCalendar:
    """The school day (admin data) with the district calendar's closed days around `around` (now)."""
    if around is None or abs(timezone.now() - around) < KEPT_REACH:
        return school_calendar_kept()
    return _calendar_around(around)


@kept_table("alerts:response-targets:v1", seconds=KEPT_SECONDS, forgotten_by=(ResponseTarget,))
def response_targets_kept() -> dict[int, tuple]:
    """Each priority's (first reply hours, resolve hours)."""
    return {
        p: (first, resolve)
        for p, first, resolve in ResponseTarget.objects.values_list("priority", "first_reply_hours", "resolve_hours")
    }


def technicians_with_choices(*, school_id: int | None, kinds: tuple[str, ...]):
    """Every technician, in one query, with `covers` (the school) and `choice_<kind>` (their choice or None)."""
    covers = School.technicians.through.objects.filter(user_id=OuterRef("pk"), school_id=school_id or 0)
    choices = {
        f"choice_{kind}": Subquery(
            AlertPreference.objects.filter(user_id=OuterRef("pk"), kind=kind).values("delivery")[:1]
        )
        for kind in kinds
    }
    users = get_user_model().objects.filter(technician_filter()).distinct()
    return users.annotate(covers=Exists(covers), **choices).order_by("first_name", "last_name", "username")


def delivery_of(user, kind: str) -> str:
    """How `kind` reaches this user (annotated by technicians_with_choices); mentions always arrive."""
    if kind == Kind.MENTION:
        return Delivery.AT_ONCE
    return getattr(user, f"choice_{kind}", None) or DEFAULT_DELIVERY[kind]


def school_team(users: list, *, assignee_id: int | None = None) -> list:
    """Who answers for a ticket: its assignee, else the school's technicians, else every technician."""
    if assignee_id:
        return [user for user in users if user.pk == assignee_id]
    covering = [user for user in users if user.covers]
    return covering or list(users)


@dataclass(frozen=True)
class Recipient:
    user: object
    delivery: str  # Delivery

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


def recipients_for(*, ticket, kind: str, acting_user=None, users: list | None = None) -> list[Recipient]:
    """Who hears about `kind` on this ticket, and how: never the person acting, nobody who switched it off."""
    if users is None:
        users = list(technicians_with_choices(school_id=ticket.school_id, kinds=(kind,)))
    team = school_team(users, assignee_id=ticket.assignee_id if kind == Kind.REQUESTER_REPLIED else None)
    acting_id = getattr(acting_user, "pk", None)
    found = [Recipient(user=user, delivery=delivery_of(user, kind)) for user in team if user.pk != acting_id]
    return [recipient for recipient in found if recipient.delivery != Delivery.OFF and recipient.user.email]


def mentioned_technicians(*, body: str):
    """The technicians a note names as @username (case ignored), each once."""
    names = {name.rstrip(".").lower() for name in MENTION.findall(body)}
    if not names:
        return []
    users = technicians_with_choices(school_id=None, kinds=())
    return [user for user in users if user.get_username().lower() in names]


@dataclass(frozen=True)
class NotifyPreview:
    """Who the ticket page's next reply, note or assignment would email (the same rules that send them)."""

    reply_to: str
    requester_answer: list[Recipient]
    note: str
    assignment: str
    mention_names: list[dict]  # for the note's @ autocomplete: [{"username": ..., "name": ...}]


@dataclass(frozen=True)
class KeptTechnician:
    """A technician as alerts show one (Who will be emailed, Covered by): kept, so pages ask nothing for it."""

    pk: int
    username: str
    full_name: str
    email: str
    school_ids: frozenset[int]
    requester_replied: str | None  # their choice for Requester replied; None is the default


User = get_user_model()


@kept_table(
    "alerts:technicians:v1",
    seconds=KEPT_SECONDS,
    forgotten_by=(User, User.groups.through, AlertPreference, School.technicians.through),
    unless_only=frozenset({"last_login"}),  # every sign-in saves this; no name, group or choice changed
)
def alert_technicians_kept() -> tuple[KeptTechnician, ...]:
    covering: dict[int, set[int]] = {}
    for school_id, user_id in School.technicians.through.objects.values_list("school_id", "user_id"):
        covering.setdefault(user_id, set()).add(school_id)
    return tuple(
        KeptTechnician(
            pk=user.pk,
            username=user.get_username(),
            full_name=user.get_full_name() or user.get_username(),
            email=user.email,
            school_ids=frozenset(covering.get(user.pk, ())),
            requester_replied=user.choice_requester_replied,
        )
        for user in technicians_with_choices(school_id=None, kinds=(Kind.REQUESTER_REPLIED,))
    )


class _AtSchool:
    """A kept technician as recipients_for reads one, at the ticket's school (`covers`, their choice)."""

    def __init__(self, kept: KeptTechnician, school_id: int | None):
        self.pk, self.email, self._kept = kept.pk, kept.email, kept
        self.covers = school_id in kept.school_ids
        self.choice_requester_replied = kept.requester_replied

    def get_username(self) -> str:
        return self._kept.username

    def get_full_name(self) -> str:
        return self._kept.full_name


def notify_preview(*, ticket, acting_user) -> NotifyPreview:
    """What the ticket page shows beside the composer, from the kept technicians (no query once kept)."""
    kept = alert_technicians_kept()
    users = [_AtSchool(technician, ticket.school_id) for technician in kept]
    return NotifyPreview(
        reply_to=ticket.requester_email,
        requester_answer=recipients_for(ticket=ticket, kind=Kind.REQUESTER_REPLIED, users=users),
        note="Only the technicians you @mention, at once.",
        assignment="The technician you choose, unless it is you.",
        mention_names=[{"username": technician.username, "name": technician.full_name} for technician in kept],
    )
