from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from routing.models import RoutingRule
from routing.selectors import (
    RoutingOutcome,
    routing_outcome_for_request,
    routing_rule_for_request,
    rule_set_current,
    testing_window_active,
    testing_window_for_banner,
)
from tests.factories import SchoolFactory, TicketTypeFactory
from tests.routing.factories import RoutingRuleFactory, WindowFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("district_policy")]


def test_rules_are_loaded_once_and_reloaded_when_the_stamp_changes():
    first = rule_set_current()
    with CaptureQueriesContext(connection) as queries:
        assert rule_set_current() is first
    assert len(queries) == 1  # only the stamp

    rule = RoutingRule.objects.get(name="Active Resources questions")
    rule.keywords += "\nAR portal"
    rule.save()
    reloaded = rule_set_current()
    assert reloaded is not first
    assert routing_rule_for_request(subject="AR portal", description="will not open").rule == rule


def test_ticket_type_change_on_a_rule_reloads_the_rules():
    rule_set_current()
    printer = TicketTypeFactory(name="Printer")
    rule = RoutingRuleFactory(keywords="")
    rule.ticket_types.add(printer)
    assert routing_rule_for_request(subject="x", description="anything", ticket_type_id=printer.pk).rule == rule


def test_a_rolled_back_change_does_not_leave_stale_rules():
    try:
        with transaction.atomic():
            RoutingRuleFactory(keywords="gizmo")
            assert routing_rule_for_request(subject="gizmo", description="broken gizmo") is not None
            raise RuntimeError
    except RuntimeError:
        pass
    assert routing_rule_for_request(subject="gizmo", description="broken gizmo") is None


def test_inactive_rules_and_order():
    RoutingRuleFactory(name="Later", keywords="gadget", order=500)
    first = RoutingRuleFactory(name="First", keywords="gadget", order=1)
    assert routing_rule_for_request(subject="gadget", description="").rule == first
    first.is_active = False
    first.save()
    assert routing_rule_for_request(subject="gadget", description="").rule.name == "Later"


def test_phrases_capitals_and_endings():
    RoutingRuleFactory(name="Phrase", keywords="smart board\nCTE*\nwi-fi")
    match = lambda text: routing_rule_for_request(subject=text, description="")  # noqa: E731
    assert match("The smart   board is dark").matched == "smart board"
    assert match("Smartboard is dark") is None
    assert match("CTEC lab printer").matched == "CTE*"
    assert match("cte lab") is None
    assert match("Wi Fi is slow").matched == "wi-fi"


def test_unless_keywords_keep_a_rule_quiet():
    RoutingRuleFactory(keywords="door", unless_keywords="printer")
    assert routing_rule_for_request(subject="Door", description="The door sticks") is not None
    assert routing_rule_for_request(subject="Door", description="The printer door is stuck") is None


def test_testing_window_active_for_the_lead_queue():
    now = timezone.now()
    school, other = SchoolFactory(name="North Panola High School"), SchoolFactory(name="Crenshaw Elementary School")
    window = WindowFactory(starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=4))
    window.schools.set([school])
    assert testing_window_active(at=now) is None
    assert testing_window_for_banner(at=now) == window  # three days before, the banner already shows
    assert testing_window_active(at=now + timedelta(days=3), school_id=school.pk) == window
    assert testing_window_active(at=now + timedelta(days=3), school_id=other.pk) is None
    assert testing_window_active(at=now + timedelta(days=3)) == window
    assert testing_window_for_banner(at=now - timedelta(days=2)) is None


def test_deflection_counts_for_reports(client, ticket_fields):
    from routing.selectors import deflection_counts

    data = {
        **ticket_fields,
        "requester_email": "pat@northpanolaschools.org",
        "subject": "SAM",
        "description": "SAM will not open today",
    }
    client.post("/tickets/new/", data)
    client.post("/tickets/new/", {**data, "requester_email": "lee@northpanolaschools.org"})
    client.post("/tickets/new/", {**data, "subject": "Ink", "description": "Out of ink again"})
    now = timezone.now()
    assert deflection_counts(start=now - timedelta(hours=1), end=now + timedelta(hours=1)) == [
        {"rule_name": "SAM Spectra 7 questions", "outcome": "shown", "count": 2},
        {"rule_name": "Equipment purchases", "outcome": "shown", "count": 1},
    ]
    assert deflection_counts(start=now + timedelta(hours=1), end=now + timedelta(hours=2)) == []


def _outcome(**overrides) -> RoutingOutcome:
    values = {
        "subject": "Zorblax projector",
        "description": "The zorblax will not start.",
        "ticket_type_id": None,
        "school_id": SchoolFactory().pk,
        "requester_email": "pat@northpanolaschools.org",
        "is_override_ticked": False,
        "seen_rule_ids": set(),
        **overrides,
    }
    return routing_outcome_for_request(**values)


def test_routing_outcome_stops_at_the_first_rule_the_person_has_not_overridden():
    stopping = RoutingRuleFactory(keywords="zorblax", order=1)
    RoutingRuleFactory(keywords="zorblax", order=2, action=RoutingRule.Action.CHANGE, raise_priority_to=4)

    outcome = _outcome(is_override_ticked=True)  # ticked, but the rule was never shown: it still stops

    assert outcome.stop.rule == stopping and outcome.change is None and outcome.overridden == ()


def test_routing_outcome_passes_overridden_rules_on_to_a_rule_that_changes_the_ticket():
    stopping = RoutingRuleFactory(keywords="zorblax", order=1)
    changing = RoutingRuleFactory(keywords="zorblax", order=2, action=RoutingRule.Action.CHANGE, raise_priority_to=4)

    outcome = _outcome(is_override_ticked=True, seen_rule_ids={stopping.pk})

    assert outcome.stop is None
    assert outcome.change.rule == changing
    assert outcome.overridden_rule == stopping and outcome.overridden_rule_ids == [stopping.pk]


def test_routing_outcome_keeps_a_rule_that_allows_no_override():
    stopping = RoutingRuleFactory(keywords="zorblax", order=1, allow_override=False)

    outcome = _outcome(is_override_ticked=True, seen_rule_ids={stopping.pk})

    assert outcome.stop.rule == stopping and outcome.overridden == ()
