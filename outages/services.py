"""Every write to an outage: detecting one, declaring it with its tickets, the people affected, updates, resolving.

Each person hears once per event: the outbox's idempotency keys name the outage's event and the address, and the
outage (or the detection) row is locked first, so two technicians pressing the same button send nothing twice.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from district.models import HelpDeskSettings
from helpdesk.email_address import normalize_email
from notifications.services import email_enqueue
from outages.models import Outage, OutageEmailWording, OutagePerson, OutageTicket, OutageUpdate, PossibleOutage
from outages.selectors import possible_outages_pending
from outages.signals import possible_outage_detected
from tickets.models import Ticket, TicketEvent
from tickets.services import TicketChangedError, ticket_close, ticket_reply

# How a link shows on the ticket's timeline (outages.templatetags finds it there, so the page asks nothing more).
OUTAGE_FIELD_NAME = "Outage"
OUTAGE_LINK_NOTE = "(the requester was emailed the outage's message)"


class OutageError(Exception):
    """Someone else changed the outage (or declared the detection) first; the message says what happened."""

    def __init__(self, message: str, outage: Outage | None = None):
        super().__init__(message)
        self.outage = outage


@transaction.atomic
def possible_outage_check(*, ticket: Ticket) -> PossibleOutage | None:
    """After a new ticket: open it as a Possible outage when enough alike arrived close together; join one open."""
    if not ticket.ticket_type_id or not ticket.is_open:
        return None
    config = HelpDeskSettings.load()
    since = ticket.created_at - timedelta(minutes=config.outage_window_minutes)
    numbers = list(
        Ticket.objects.filter(
            school_id=ticket.school_id,
            ticket_type_id=ticket.ticket_type_id,
            status__in=Ticket.OPEN_STATUSES,
            created_at__gte=since,
            created_at__lte=ticket.created_at,
            outage_link__isnull=True,
        )
        .order_by("number")
        .values_list("number", flat=True)
    )
    if len(numbers) < config.outage_ticket_count:
        return None
    pending = PossibleOutage.objects.select_for_update().filter(
        school_id=ticket.school_id, ticket_type_id=ticket.ticket_type_id, status=PossibleOutage.Status.PENDING
    )
    found = pending.first()
    if found is not None:
        found.ticket_numbers = sorted({*found.ticket_numbers, *numbers})
        found.save(update_fields=["ticket_numbers"])
        return found
    return _possible_outage_open(ticket=ticket, numbers=numbers)


def _possible_outage_open(*, ticket: Ticket, numbers: list[int]) -> PossibleOutage | None:
    key = f"school-{ticket.school_id}-type-{ticket.ticket_type_id}-from-{numbers[0]}"
    try:
        with transaction.atomic():  # a savepoint: a concurrent ticket may open the same cluster first
            found = PossibleOutage.objects.create(
                detection_key=key,
                school_id=ticket.school_id,
                ticket_type_id=ticket.ticket_type_id,
                ticket_numbers=numbers,
            )
    except IntegrityError:
        return None
    type_name = ticket.ticket_type.name

    def announce():
        possible_outage_detected.send(
            sender=None,
            school_id=found.school_id,
            ticket_type_name=type_name,
            ticket_numbers=list(numbers),
            detection_key=key,
        )

    transaction.on_commit(announce)
    return found


@transaction.atomic
def possible_outage_dismiss(*, detection_id: int) -> None:
    """Not an outage: the notice leaves the queue (a later cluster opens a new one)."""
    possible_outages_pending.forget()  # update() sends no signal
    PossibleOutage.objects.filter(pk=detection_id, status=PossibleOutage.Status.PENDING).update(
        status=PossibleOutage.Status.DISMISSED
    )


@transaction.atomic
def outage_declare(
    *,
    acting_user,
    title: str,
    message: str,
    schools: list,
    is_district_wide: bool,
    ticket_type=None,
    reported_by: str = "",
    ticket_ids: list[int] = (),
    detection_id: int | None = None,
) -> Outage:
    """Declare an outage, link its tickets and tell each of their requesters once; refuse a detection declared."""
    detection = None
    if detection_id is not None:
        detection = PossibleOutage.objects.select_for_update().filter(pk=detection_id).first()
        if detection is not None and detection.status == PossibleOutage.Status.DECLARED:
            raise OutageError("A colleague already declared this outage.", outage=detection.outage)
    outage = Outage(
        title=title.strip(),
        message=message.strip(),
        is_district_wide=is_district_wide,
        ticket_type=ticket_type,
        reported_by=reported_by.strip(),
        declared_by=acting_user,
    )
    outage.full_clean()
    outage.save()
    outage.schools.set([] if is_district_wide else schools)
    if detection is not None:
        detection.status, detection.outage = PossibleOutage.Status.DECLARED, outage
        detection.save(update_fields=["status", "outage"])
    outage_tickets_link(acting_user=acting_user, outage=outage, ticket_ids=ticket_ids)
    return outage


def _locked_open(outage: Outage) -> Outage:
    locked = Outage.objects.select_for_update().get(pk=outage.pk)
    if not locked.is_open:
        raise OutageError("This outage is already resolved.", outage=locked)
    return locked


@transaction.atomic
def outage_tickets_link(*, acting_user, outage: Outage, ticket_ids: list[int]) -> list[Ticket]:
    """Link open tickets not yet in an outage; each new requester gets the outage's message once; refuse it resolved."""
    # The outage first (as resolving does), so a colleague resolving it waits for the links or we see it resolved.
    outage = _locked_open(outage)
    # Then the tickets, and look for links in a new statement: it sees a colleague's links committed while we waited.
    locked = list(
        Ticket.objects.select_for_update().filter(pk__in=ticket_ids, status__in=Ticket.OPEN_STATUSES).order_by("number")
    )
    linked = set(OutageTicket.objects.filter(ticket__in=locked).values_list("ticket_id", flat=True))
    tickets = [ticket for ticket in locked if ticket.pk not in linked]
    OutageTicket.objects.bulk_create(OutageTicket(outage=outage, ticket=ticket) for ticket in tickets)
    TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket=ticket,
            kind=TicketEvent.Kind.CHANGE,
            author=acting_user,
            field_name=OUTAGE_FIELD_NAME,
            old_value="None",
            new_value=outage.title[:200],
            body=OUTAGE_LINK_NOTE,
        )
        for ticket in tickets
    )
    _email_people(
        outage=outage,
        kind=OutageEmailWording.Kind.DECLARED,
        body=outage.message,
        key=f"outage-{outage.pk}-declared",
        emails=[ticket.requester_email for ticket in tickets],
    )
    return tickets


@transaction.atomic
def outage_person_add(*, outage: Outage, email: str, source: str = OutagePerson.Source.FORM) -> OutagePerson:
    """Add someone who is affected too; they get the outage's updates and its resolution (no ticket)."""
    person, _ = OutagePerson.objects.get_or_create(
        outage=outage, email=normalize_email(email), defaults={"source": source}
    )
    return person


@transaction.atomic
def outage_update_post(*, acting_user, outage: Outage, body: str) -> OutageUpdate:
    """Tell every linked requester and affected person the update once; it is a reply on each linked ticket."""
    locked = _locked_open(outage)
    now = timezone.now()
    update = OutageUpdate.objects.create(outage=locked, body=body.strip(), author=acting_user, created_at=now)
    locked.updated_at = now
    locked.save(update_fields=["updated_at"])
    for ticket in _linked_open_tickets(locked):
        ticket_reply(acting_user=acting_user, ticket=ticket, body=update.body, takes=(), is_emailed=False)
    _email_people(
        outage=locked,
        kind=OutageEmailWording.Kind.UPDATE,
        body=update.body,
        key=f"outage-{locked.pk}-update-{update.pk}",
    )
    return update


@transaction.atomic
def outage_resolve(*, acting_user, outage: Outage, resolution: str) -> Outage:
    """Close every linked ticket with the resolution and tell each person once; it leaves Known issues at once."""
    locked = _locked_open(outage)
    now = timezone.now()
    locked.resolved_at, locked.updated_at, locked.resolution = now, now, resolution.strip()
    locked.save(update_fields=["resolved_at", "updated_at", "resolution"])
    for ticket in _linked_open_tickets(locked):
        try:
            ticket_close(acting_user=acting_user, ticket=ticket, resolution=locked.resolution, is_emailed=False)
        except TicketChangedError:
            continue  # closed meanwhile by someone else
    _email_people(
        outage=locked, kind=OutageEmailWording.Kind.RESOLVED, body=locked.resolution, key=f"outage-{locked.pk}-resolved"
    )
    return locked


def _linked_open_tickets(outage: Outage) -> list[Ticket]:
    return list(Ticket.objects.filter(outage_link__outage=outage, status__in=Ticket.OPEN_STATUSES).order_by("number"))


def _recipients(outage: Outage) -> list[str]:
    requesters = Ticket.objects.filter(outage_link__outage=outage).values_list("requester_email", flat=True)
    people = OutagePerson.objects.filter(outage=outage).values_list("email", flat=True)
    return sorted({*requesters, *people})


def _email_people(*, outage: Outage, kind: str, body: str, key: str, emails: list[str] | None = None) -> int:
    """One email per address (everyone of the outage unless `emails`), keyed by the event and the address."""
    wording = OutageEmailWording.objects.filter(kind=kind).first() or OutageEmailWording(kind=kind)
    context = {
        "outage": outage,
        "subject": wording.subject.replace("{title}", outage.title) if wording.subject else outage.title,
        "opening": wording.opening,
        "body": body,
        "closing": wording.closing,
    }
    addresses = sorted(set(emails)) if emails is not None else _recipients(outage)
    for address in addresses:
        email_enqueue(
            to=address,
            template="notifications/email/outage",
            context=context,
            idempotency_key=f"{key}-{address}",
            thread=f"outage:{outage.pk}",
        )
    return len(addresses)
