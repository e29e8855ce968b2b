import random
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from devices.models import Device
from district.models import School, TicketType
from helpdesk.technicians import technicians_group
from tickets.models import Attachment, Ticket, TicketEvent, TicketNumberCounter
from tickets.services import ticket_search_refresh

SUBJECTS = [
    "Printer will not print",
    "Projector shows a blue screen",
    "Smart board does not respond to touch",
    "Wireless keeps dropping",
    "Internet is down",
    "Cannot log in to the computer",
    "Email not syncing",
    "Chromebook will not charge",
    "Document camera not working",
    "Need software installed",
    "Testing device frozen",
    "Password reset for Windows",
    "Speakers have no sound",
    "Keyboard keys stuck",
]
DETAILS = [
    "It started this morning after the update.",
    "The error message says 'Device not found'.",
    "Students cannot finish their work.",
    "It works for a few minutes then stops.",
    "We tried restarting it twice.",
    "The light on the front blinks orange.",
    "Other rooms on the hall are fine.",
]
REPLIES = [
    "I will stop by this afternoon.",
    "Please restart the device and let me know if it still happens.",
    "Replaced the cable.",
    "This is fixed now; please check.",
    "Ordered a replacement part.",
]
PRIORITY_WEIGHTS = [
    (Ticket.Priority.LOW, 50),
    (Ticket.Priority.MEDIUM, 30),
    (Ticket.Priority.HIGH, 15),
    (Ticket.Priority.URGENT, 5),
]
BATCH = 5000


BENCH_MODELS = [
    (Device.Kind.CHROMEBOOK, "Dell Chromebook 3110", 2028),
    (Device.Kind.CHROMEBOOK, "Acer Chromebook 311", 2029),
    (Device.Kind.CHROMEBOOK, "Lenovo 100e Chromebook", 2027),
    (Device.Kind.LAPTOP, "HP ProBook 440", None),
    (Device.Kind.PROJECTOR, "Epson BrightLink 685Wi", None),
    (Device.Kind.DOCUMENT_CAMERA, "IPEVO V4K", None),
]


def bench_devices(rng, *, count: int, schools: list) -> list[Device]:
    """Fake devices for seed_bench (bulk inserts, no history): tickets of the benchmark point at them."""
    existing = Device.objects.filter(asset_tag__startswith="BENCH-").count()
    devices = []
    for n in range(existing, existing + count):
        kind, model, year = rng.choice(BENCH_MODELS)
        devices.append(
            Device(
                asset_tag=f"BENCH-{n:06d}",
                serial_number=f"BSN{n:08d}",
                kind=kind,
                model=model,
                school=rng.choice(schools) if schools else None,
                room=str(rng.randint(1, 240)),
                assigned_to=f"staff{rng.randint(1, 600)}@northpanolaschools.org",
                auto_update_expires_on=date(year, 6, 1) if year else None,
            )
        )
    return Device.objects.bulk_create(devices, batch_size=2000)


class Command(BaseCommand):
    help = "Fill the database with realistic tickets, replies and attachment metadata for benchmarks (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, default=100_000)
        parser.add_argument("--open-share", type=float, default=0.12, help="Share of tickets still open.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--device-share", type=float, default=0.8, help="Share of tickets about a device (one per 4 tickets)."
        )

    def handle(self, *args, tickets: int, open_share: float, seed: int, device_share: float = 0.8, **options):
        rng = random.Random(seed)  # noqa: S311  repeatable fake data, not secrets
        schools, types = list(School.objects.all()), list(TicketType.objects.all())
        self.device_share = device_share
        self.devices = bench_devices(rng, count=max(1, tickets // 4) if device_share else 0, schools=schools)
        technicians = self._technicians()
        priorities = [p for p, w in PRIORITY_WEIGHTS for _ in range(w)]
        now = timezone.now()
        made = 0
        while made < tickets:
            size = min(BATCH, tickets - made)
            with transaction.atomic():
                counter = TicketNumberCounter.objects.select_for_update().get_or_create(pk=1)[0]
                first_number = counter.last_number + 1
                counter.last_number += size
                counter.save(update_fields=["last_number"])
                rows = [
                    self._ticket(rng, first_number + i, now, schools, types, technicians, priorities, open_share)
                    for i in range(size)
                ]
                created = Ticket.objects.bulk_create(rows, batch_size=1000)
                self._events_and_files(rng, created, technicians)
            made += size
            self.stdout.write(f"{made} tickets")
        self.stdout.write("Building the search index…")
        ticket_search_refresh(ticket_ids=None)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics and visibility map, as autovacuum would leave them
                cursor.execute("VACUUM ANALYZE tickets_ticket")
                cursor.execute("VACUUM ANALYZE tickets_ticketevent")
                cursor.execute("VACUUM ANALYZE devices_device")
        self.stdout.write(self.style.SUCCESS(f"Seeded {tickets} tickets."))

    def _technicians(self) -> list[User]:
        group = technicians_group()
        users = []
        for name in ("avery", "blake", "casey", "devon"):
            user, _ = User.objects.get_or_create(username=f"bench.{name}", defaults={"first_name": name.title()})
            user.groups.add(group)
            users.append(user)
        return users

    def _ticket(self, rng, number, now, schools, types, technicians, priorities, open_share) -> Ticket:
        created_at = now - timedelta(minutes=rng.randint(10, 60 * 24 * 730))
        is_open = rng.random() < open_share
        closed_at = None if is_open else created_at + timedelta(minutes=rng.randint(30, 60 * 24 * 10))
        first_response_at = None
        if rng.random() < 0.9:
            first_response_at = created_at + timedelta(minutes=rng.randint(5, 60 * 48))
            if closed_at:
                first_response_at = min(first_response_at, closed_at)
        return Ticket(
            number=number,
            requester_email=f"staff{rng.randint(1, 600)}@northpanolaschools.org",
            subject=rng.choice(SUBJECTS),
            ticket_type=rng.choice(types),
            priority=rng.choice(priorities),
            school=rng.choice(schools),
            classroom=str(rng.randint(1, 240)),
            description=" ".join(rng.sample(DETAILS, 3)),
            status=rng.choice(Ticket.OPEN_STATUSES) if is_open else Ticket.Status.CLOSED,
            assignee=rng.choice([*technicians, None]),
            created_at=created_at,
            updated_at=closed_at or first_response_at or created_at,
            first_response_at=first_response_at,
            closed_at=closed_at,
            device=rng.choice(self.devices) if self.devices and rng.random() < self.device_share else None,
        )

    def _events_and_files(self, rng, tickets, technicians):
        events, files = [], []
        for ticket in tickets:
            for _ in range(rng.randint(0, 4)):
                events.append(
                    TicketEvent(
                        ticket=ticket,
                        kind=rng.choice([TicketEvent.Kind.REPLY, TicketEvent.Kind.NOTE]),
                        author=rng.choice(technicians),
                        body=rng.choice(REPLIES),
                        created_at=ticket.created_at + timedelta(minutes=rng.randint(5, 600)),
                    )
                )
            if rng.random() < 0.1:
                files.append(
                    Attachment(
                        ticket=ticket,
                        file=f"attachments/bench/{ticket.number}",
                        original_name="screenshot.png",
                        content_type="image/png",
                        size=rng.randint(20_000, 2_000_000),
                    )
                )
        TicketEvent.objects.bulk_create(events, batch_size=2000)
        Attachment.objects.bulk_create(files, batch_size=2000)
