"""Reads for the Help desk policy page and the quote terms: the same rows routing and the request forms use."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from district.models import HelpDeskSettings
from routing.models import RoutingRule


@dataclass(frozen=True)
class QuoteTerms:
    valid_days: int
    reminder_days_before: int

    def expires_on(self, *, sent_on: date) -> date:
        return sent_on + timedelta(days=self.valid_days)


@dataclass(frozen=True)
class PolicyPage:
    quote_terms: QuoteTerms
    # The rule each request form uses (as `request_form_rule` picks it) and each policy section's first active rule.
    forms: dict[str, RoutingRule] = field(default_factory=dict)
    sections: dict[str, RoutingRule] = field(default_factory=dict)
    # Active rules that stop a ticket but have no section of their own.
    others: list[RoutingRule] = field(default_factory=list)


def quote_terms_load() -> QuoteTerms:
    """Return how long quotes are valid and when requesters are reminded, as set in Help desk settings."""
    settings = HelpDeskSettings.load()
    return QuoteTerms(valid_days=settings.quote_valid_days, reminder_days_before=settings.quote_reminder_days_before)


def policy_page_load() -> PolicyPage:
    """Return the contacts, lead times, messages and quote terms the policy page shows, in two queries."""
    rules = (
        RoutingRule.objects.filter(Q(is_active=True) | ~Q(request_form=""))
        .select_related("contact")
        .order_by("-is_active", "order", "name")
    )
    page = PolicyPage(quote_terms=quote_terms_load())
    for rule in rules:
        if rule.request_form:
            # Same choice as the request form itself: a rule with a contact address, an active one first.
            if rule.contact_id and rule.contact.email:
                page.forms.setdefault(rule.request_form, rule)
        elif not rule.is_active:
            continue
        elif rule.policy_section:
            page.sections.setdefault(rule.policy_section, rule)
        elif rule.stops_ticket:
            page.others.append(rule)
    return page
