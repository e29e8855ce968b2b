import factory
from django.utils import timezone

from district.models import School, TicketType
from helpdesk.technicians import technicians_group
from tickets.models import Ticket


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["name"]

    name = "Green Hill Elementary School"


class TicketTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketType
        django_get_or_create = ["name"]

    name = "Printer"


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    number = factory.Sequence(lambda n: 5000 + n)
    requester_email = factory.Sequence(lambda n: f"teacher{n}@northpanolaschools.org")
    subject = "Printer in room 12 will not print"
    ticket_type = factory.SubFactory(TicketTypeFactory)
    school = factory.SubFactory(SchoolFactory)
    classroom = "12"
    description = "The printer shows 'Paper jam in tray 2' but there is no paper stuck."
    created_at = factory.LazyFunction(timezone.now)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Casey"
    last_name = factory.Sequence(lambda n: f"Tech{n}")
    password = factory.django.Password("correct horse battery staple")


class TechnicianFactory(UserFactory):
    @factory.post_generation
    def technicians_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(technicians_group())
