from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from district.models import School, TicketType
from helpdesk.technicians import technicians_group
from tickets.models import Ticket
from tickets.services import ticket_number_next

DEMO_TECHNICIAN = "demo.tech"
DEMO_PASSWORD = "npsd-demo-tech"  # noqa: S105  a local demo only: the command refuses to run without DEBUG
DEMO_TICKETS = [
    (
        "pat.lee@northpanolaschools.org",
        "Printer in room 12 will not print",
        "Printer",
        "Green Hill Elementary School",
        "12",
        Ticket.Priority.MEDIUM,
        "The printer shows 'Paper jam in tray 2' but there is no paper stuck.",
    ),
    (
        "jordan.ray@northpanolaschools.org",
        "Wireless drops in the library",
        "Wireless",
        "North Panola High School",
        "Library",
        Ticket.Priority.HIGH,
        "Chromebooks lose the wireless connection every few minutes during 2nd period.",
    ),
    (
        "sam.ford@northpanolaschools.org",
        "Projector shows a blue screen",
        "Interactive board / Projector",
        "Crenshaw Elementary School",
        "7",
        Ticket.Priority.LOW,
        "The projector turns on but shows only a blue screen.",
    ),
    (
        "ms.hill@northpanolaschools.org",
        "Internet is down in the front office",
        "Network / Internet",
        "District Office",
        "Front office",
        Ticket.Priority.URGENT,
        "No computer in the front office can open any website since 8:10 am.",
    ),
]


class Command(BaseCommand):
    help = "Load demo tickets and a demo technician into an empty database (local development only)."

    def handle(self, *args, **options):
        from django.conf import settings

        if not settings.DEBUG:
            self.stdout.write("Demo data is only loaded with DJANGO_DEBUG=true; nothing done.")
            return
        with transaction.atomic():
            technicians = technicians_group()
            user, created = User.objects.get_or_create(
                username=DEMO_TECHNICIAN, defaults={"first_name": "Demo", "last_name": "Technician", "is_staff": True}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            user.groups.add(technicians)
            if not Ticket.objects.exists():
                for requester, subject, type_name, school_name, room, priority, description in DEMO_TICKETS:
                    Ticket.objects.create(
                        number=ticket_number_next(),
                        requester_email=requester,
                        subject=subject,
                        ticket_type=TicketType.objects.get(name=type_name),
                        school=School.objects.get(name=school_name),
                        classroom=room,
                        priority=priority,
                        description=description,
                    )
                self.stdout.write(f"Loaded {len(DEMO_TICKETS)} demo tickets.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo technician: username {DEMO_TECHNICIAN}, password {DEMO_PASSWORD} "
                "(log in at http://127.0.0.1:8000/accounts/login/ for the queue)."
            )
        )
