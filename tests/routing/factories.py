from datetime import timedelta

import factory
from django.utils import timezone

from routing.models import Contact, Role, RoutingRule, StaffMember, TestingWindow
from tests.factories import SchoolFactory


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@northpanolaschools.org")


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule

    name = factory.Sequence(lambda n: f"Rule {n}")
    keywords = "widget"
    action = RoutingRule.Action.EXPLAIN
    message = "We cannot help with widgets."


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"staff{n}@northpanolaschools.org")
    name = factory.Sequence(lambda n: f"Staff Member {n}")
    role = Role.TEACHER
    school = factory.SubFactory(SchoolFactory)


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TestingWindow

    name = "Spring state testing"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    message = "State tests are on in the afternoons."
