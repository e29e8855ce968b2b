"""Reads for routing: the cached rule set, the matcher, testing windows, business days and the directory."""

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from district.models import School
from helpdesk.email_address import normalize_email
from helpdesk.kept import kept_table
from routing.matching import CompiledRule, PreparedText, RuleIndex
from routing.models import (
    BUILDING_ADMINISTRATOR_ROLES,
    ClosedDay,
    DeflectionLog,
    RoutingRule,
    RuleSetVersion,
    ServiceRequest,
    StaffMember,
    TestingWindow,
)

BANNER_DAYS_BEFORE = 3


@dataclass(frozen=True)
class RuleSet:
    stamp: str | None
    rules: tuple[tuple[RoutingRule, CompiledRule], ...]
    index: RuleIndex


@dataclass(frozen=True)
class RoutingMatch:
    rule: RoutingRule
    matched: str
    testing_window: TestingWindow | None = None
    building_administrators: tuple[StaffMember, ...] = field(default_factory=tuple)


_cache_lock = threading.Lock()
_cached: RuleSet | None = None


def rule_set_stamp() -> str | None:
    stamp = RuleSetVersion.objects.filter(pk=1).values_list("stamp", flat=True).first()
    return str(stamp) if stamp else None


def rule_set_load(*, stamp: str | None) -> RuleSet:
    rules = RoutingRule.objects.filter(is_active=True).select_related("contact").prefetch_related("ticket_types")
    pairs = tuple(
        (
            rule,
            CompiledRule.build(
                pk=rule.pk,
                type_names={ticket_type.pk: ticket_type.name for ticket_type in rule.ticket_types.all()},
                keywords=rule.keywords,
                unless_keywords=rule.unless_keywords,
                pattern=rule.pattern,
            ),
        )
        for rule in rules
    )
    return RuleSet(stamp=stamp, rules=pairs, index=RuleIndex([compiled for _, compiled in pairs]))


def rule_set_current() -> RuleSet:
    """Return the active rules, compiled once per process and reloaded when the shared stamp changes.

    The stamp is one indexed row read per call, so a change saved in admin reaches every web and worker process on
    its next request, with no timer. It is random, not a counter, so a rolled-back change can never reuse it.
    """
    global _cached
    stamp = rule_set_stamp()
    cached = _cached
    if cached is not None and stamp is not None and cached.stamp == stamp:
        return cached
    loaded = rule_set_load(stamp=stamp)
    with _cache_lock:
        _cached = loaded
    return loaded


def routing_rule_for_request(
    *,
    subject: str,
    description: str,
    ticket_type_id: int | None = None,
    school_id: int | None = None,
    requester_email: str = "",
    at: datetime | None = None,
    exclude_rule_ids: frozenset[int] | set[int] = frozenset(),
    rule_set: RuleSet | None = None,
    for_preview: bool = False,
) -> RoutingMatch | None:
    """Return the first active rule that claims this request, or None to allow a plain ticket.

    `for_preview` is the public live check while someone types: a rule for certain roles then applies to everyone
    and names no one, so typing an address there reveals nothing from the staff directory.
    """
    at = at or timezone.now()
    rule_set = rule_set or rule_set_current()
    text = PreparedText(f"{subject}\n{description}")
    window: TestingWindow | None | bool = False  # looked up only when a testing rule matches
    hits = rule_set.index.keyword_hits(text)
    for position, (rule, compiled) in enumerate(rule_set.rules):
        if rule.pk in exclude_rule_ids:
            continue
        matched = compiled.match(text, ticket_type_id=ticket_type_id, keyword_hit=hits.get(position))
        if matched is None:
            continue
        if rule.only_during_testing:
            if window is False:
                window = testing_window_active(at=at, school_id=school_id)
            if window is None:
                continue
        if rule.action == RoutingRule.Action.REQUIRE_ROLE:
            if for_preview:
                return RoutingMatch(rule=rule, matched=matched)
            if staff_role_for_email(email=requester_email) in rule.allowed_role_list():
                continue
            return RoutingMatch(
                rule=rule,
                matched=matched,
                building_administrators=building_administrators_for_school(school_id=school_id),
            )
        return RoutingMatch(rule=rule, matched=matched, testing_window=window or None)
    return None


@dataclass(frozen=True)
class RoutingOutcome:
    """What the rules decided for a complete request."""

    stop: RoutingMatch | None = None  # a rule that sends the request elsewhere
    change: RoutingMatch | None = None  # a rule that lets the ticket through with a change
    overridden: tuple[RoutingMatch, ...] = ()  # rules the person said do not apply, in the order they were checked

    @property
    def overridden_rule(self) -> RoutingRule | None:
        return self.overridden[0].rule if self.overridden else None

    @property
    def overridden_rule_ids(self) -> list[int]:
        return sorted(match.rule.pk for match in self.overridden)


def routing_outcome_for_request(
    *,
    subject: str,
    description: str,
    ticket_type_id: int | None,
    school_id: int | None,
    requester_email: str,
    is_override_ticked: bool,
    seen_rule_ids: frozenset[int] | set[int],
) -> RoutingOutcome:
    """Run the rules in order; "My request is different" passes each rule the person has read and may override."""
    overridden: list[RoutingMatch] = []
    while True:
        match = routing_rule_for_request(
            subject=subject,
            description=description,
            ticket_type_id=ticket_type_id,
            school_id=school_id,
            requester_email=requester_email,
            exclude_rule_ids={earlier.rule.pk for earlier in overridden},
        )
        if match is None:
            return RoutingOutcome(overridden=tuple(overridden))
        if not match.rule.stops_ticket:
            return RoutingOutcome(change=match, overridden=tuple(overridden))
        if match.rule.allow_override and is_override_ticked and match.rule.pk in seen_rule_ids:
            overridden.append(match)
            continue  # a later rule may still stop the request, or change the ticket (e.g. raise its priority)
        return RoutingOutcome(stop=match, overridden=tuple(overridden))


@kept_table(
    "routing:testing-windows:v1",
    seconds=60,
    # A school deleted takes its window links with it, without m2m_changed.
    forgotten_by=(TestingWindow, TestingWindow.schools.through, School),
)
def _windows_not_ended() -> list[tuple[TestingWindow, frozenset[int]]]:
    """Every window that has not ended, by start, with its schools' ids (none: every school).

    Every public page's banner asks, so the rows are kept (helpdesk.kept); which of them is open is worked out from
    the clock on each request.
    """
    windows = TestingWindow.objects.filter(ends_at__gt=timezone.now()).prefetch_related("schools")
    return [(window, frozenset(school.pk for school in window.schools.all())) for window in windows]


def _windows_for_school(*, school_id: int | None, starts_by: datetime, ends_after: datetime) -> list[TestingWindow]:
    return [
        window
        for window, school_ids in sorted(_windows_not_ended(), key=lambda pair: pair[0].starts_at)
        if window.starts_at <= starts_by
        and window.ends_at > ends_after
        and (school_id is None or not school_ids or school_id in school_ids)
    ]


def testing_windows_open(*, at: datetime) -> list[tuple[TestingWindow, frozenset[int]]]:
    """Every window open at `at`, with its schools' ids (none: every school)."""
    return [(window, schools) for window, schools in _windows_not_ended() if window.starts_at <= at < window.ends_at]


def testing_window_active(*, at: datetime, school_id: int | None = None) -> TestingWindow | None:
    """Return the testing window open at `at` (for the school, when given), or None."""
    windows = _windows_for_school(school_id=school_id, starts_by=at, ends_after=at)
    return windows[0] if windows else None


def testing_window_for_banner(*, at: datetime, school_id: int | None = None) -> TestingWindow | None:
    """Return the window that is open, or opens within the next three days, for the public banner."""
    starts_by = at + timedelta(days=BANNER_DAYS_BEFORE)
    windows = _windows_for_school(school_id=school_id, starts_by=starts_by, ends_after=at)
    return windows[0] if windows else None


def testing_windows_due_reminder(*, at: datetime) -> list[TestingWindow]:
    """Return windows that start within three days and whose staff reminder has not been sent."""
    return list(
        TestingWindow.objects.filter(
            reminder_sent_at__isnull=True, starts_at__gt=at, starts_at__lte=at + timedelta(days=BANNER_DAYS_BEFORE)
        ).order_by("starts_at")
    )


def staff_role_for_email(*, email: str) -> str | None:
    if not email:
        return None
    return (
        StaffMember.objects.filter(email=normalize_email(email), is_active=True).values_list("role", flat=True).first()
    )


def building_administrators_for_school(*, school_id: int | None) -> tuple[StaffMember, ...]:
    """Return the building administrators (and principals) of a school, principals last."""
    if school_id is None:
        return ()
    return tuple(
        StaffMember.objects.filter(school_id=school_id, role__in=BUILDING_ADMINISTRATOR_ROLES, is_active=True).order_by(
            "role", "name"
        )
    )


def closed_days_between(*, start: date, end: date) -> set[date]:
    return set(ClosedDay.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))


def business_days_after(*, start: date, days: int, closed: set[date] | frozenset[date] = frozenset()) -> date:
    """Return the date `days` business days after `start` (weekends and closed days skipped)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in closed:
            remaining -= 1
    return current


def earliest_on_time_date(*, requested_on: date, lead_business_days: int) -> date:
    """Return the earliest event date a request made on `requested_on` is on time for, using the district calendar."""
    # Closed days are read up to a horizon; past it every weekday counts as open, so a result beyond the horizon
    # (a long summer break) may be too early. Widen the horizon until the result falls inside it.
    span = lead_business_days * 2 + 60
    while True:
        horizon = requested_on + timedelta(days=span)
        closed = closed_days_between(start=requested_on, end=horizon)
        result = business_days_after(start=requested_on, days=lead_business_days, closed=closed)
        if result <= horizon:
            return result
        span *= 2


def district_today() -> date:
    return timezone.localdate()


def deflection_for_session(*, public_id, allowed_public_ids: list[str]) -> DeflectionLog | None:
    """Return a deflection only to the browser session it was made in."""
    if not public_id or str(public_id) not in allowed_public_ids:
        return None
    return DeflectionLog.objects.select_related("rule__contact", "school").filter(public_id=public_id).first()


def deflections_for_session(*, public_ids: list[str], allowed_public_ids: list[str]) -> list[DeflectionLog]:
    """Return the deflections among `public_ids` that were made in this browser session, latest first."""
    wanted = set(map(str, public_ids)) & set(allowed_public_ids)
    if not wanted:
        return []
    return list(
        DeflectionLog.objects.select_related("rule__contact", "school")
        .filter(public_id__in=wanted)
        .order_by("-created_at", "-pk")
    )


def request_form_rule(*, kind: str) -> RoutingRule | None:
    """Return the rule whose settings (mailbox, lead time, roles) a request form uses; an active one first."""
    return (
        RoutingRule.objects.filter(request_form=kind, contact__isnull=False)
        .exclude(contact__email="")
        .select_related("contact")
        .order_by("-is_active", "order")
        .first()
    )


def service_request_for_session(*, public_id, allowed_public_ids: list[str]) -> ServiceRequest | None:
    if str(public_id) not in allowed_public_ids:
        return None
    return ServiceRequest.objects.select_related("school").prefetch_related("files").filter(public_id=public_id).first()


# pytest collects any imported callable named test*; these are not tests.
testing_window_active.__test__ = False
testing_window_for_banner.__test__ = False
testing_windows_due_reminder.__test__ = False


def deflection_counts(*, start: datetime, end: datetime) -> list[dict]:
    """Return how many requests each rule handled in [start, end), by outcome, busiest rule first (for reports)."""
    from django.db.models import Count

    return list(
        DeflectionLog.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("rule_name", "outcome")
        .annotate(count=Count("pk"))
        .order_by("-count", "rule_name", "outcome")
    )
