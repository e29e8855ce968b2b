from importlib import import_module

import pytest

from outages.models import OutageEmailWording
from tests.factories import SchoolFactory, TicketFactory, TicketTypeFactory


@pytest.fixture
def outage_wording(db):
    """The email wording migration 0002 seeds; transactional tests flush it, so load it again."""
    if not OutageEmailWording.objects.exists():
        import_module("outages.migrations.0002_seed_email_wording").seed(type("Apps", (), {"get_model": _model}), None)


def _model(app_label, model_name):
    from django.apps import apps

    return apps.get_model(app_label, model_name)


@pytest.fixture
def green_hill(db):
    return SchoolFactory(name="Green Hill Elementary School")


@pytest.fixture
def internet(db):
    return TicketTypeFactory(name="Internet / Wireless")


@pytest.fixture
def make_tickets(green_hill, internet):
    """n open tickets of the same type at one school, each from its own requester, arriving now."""

    def make(n: int, *, school=None, ticket_type=None, start: int = 7001):
        return [
            TicketFactory(
                number=start + index,
                school=school or green_hill,
                ticket_type=ticket_type or internet,
                subject=f"No internet in room {index + 1}",
                requester_email=f"teacher{start + index}@northpanolaschools.org",
            )
            for index in range(n)
        ]

    return make
