"""A ticket's device: attach or change it, set its status (In repair ↔ In service) and lend a loaner, recorded
on the ticket's timeline and in the device's history."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from devices.models import Device, Loan
from devices.selectors import device_for_reference
from devices.services import device_status_set, loan_lend, loan_return
from tickets.models import Ticket, TicketEvent
from tickets.services.common import event_add

# The two statuses a technician sets from a ticket; Loaned out, Lost and Retired are set elsewhere.
TICKET_DEVICE_STATUSES = (Device.Status.IN_REPAIR, Device.Status.IN_SERVICE)


class DeviceStatusError(Exception):
    """The device's status cannot be set from the ticket now; the message says why and what to do."""


def _label(device: Device | None) -> str:
    return device.label if device else "None"


def ticket_device_typed_record(*, ticket: Ticket, typed: str) -> None:
    """Keep what the requester typed as the asset tag or serial, and link the device when it is a known one."""
    if not typed:
        return
    ticket.device_typed, ticket.device = typed[:60], device_for_reference(reference=typed)
    Ticket.objects.filter(pk=ticket.pk).update(device_typed=ticket.device_typed, device=ticket.device)


@transaction.atomic
def ticket_device_set(*, acting_user, ticket: Ticket, device: Device | None) -> TicketEvent | None:
    """Attach, change or remove the ticket's device; None when it is already that device."""
    locked = Ticket.objects.select_for_update(of=("self",)).select_related("device").get(pk=ticket.pk)
    if locked.device_id == (device.pk if device else None):
        return None
    old = _label(locked.device)
    locked.device, locked.updated_at = device, timezone.now()
    locked.save(update_fields=["device", "updated_at"])
    ticket.device = device
    return event_add(
        ticket=locked,
        kind=TicketEvent.Kind.CHANGE,
        acting_user=acting_user,
        field_name="Device",
        old_value=old[:200],
        new_value=_label(device)[:200],
    )


@transaction.atomic
def ticket_device_status_set(*, acting_user, ticket: Ticket, status: str) -> TicketEvent | None:
    """Set the ticket's device In repair or In service; the device's history and the ticket's timeline both say so."""
    if status not in TICKET_DEVICE_STATUSES or ticket.device is None:
        raise ValueError("Only a ticket's own device can be set In repair or In service here")
    locked = Device.objects.select_for_update().get(pk=ticket.device.pk)
    if Loan.objects.filter(device=locked, returned_at__isnull=True).exists():
        raise DeviceStatusError(
            f"{locked.label} is out on loan. Return the loaner first (press Return on the loans page), "
            "then set its status."
        )
    if locked.status in (Device.Status.LOST, Device.Status.RETIRED):
        raise DeviceStatusError(
            f"{locked.label} is marked {locked.get_status_display()}. If it has been found or brought back, "
            "change its status in admin first."
        )
    changed = device_status_set(device=ticket.device, status=status, acting_user=acting_user)
    if changed is None:
        return None
    return event_add(
        ticket=ticket,
        kind=TicketEvent.Kind.CHANGE,
        acting_user=acting_user,
        field_name="Device status",
        old_value=changed[0],
        new_value=changed[1],
        body=f"({ticket.device.label})",
    )


@transaction.atomic
def ticket_loaner_lend(
    *, acting_user, ticket: Ticket, loaner: Device, borrower: str, borrower_email: str, due_on: date
) -> Loan:
    """Lend a loaner while the ticket's device is away; the ticket's timeline records it."""
    loan = loan_lend(
        device=loaner,
        borrower=borrower,
        borrower_email=borrower_email,
        due_on=due_on,
        acting_user=acting_user,
        ticket_number=ticket.number,
    )
    event_add(
        ticket=ticket,
        kind=TicketEvent.Kind.NOTE,
        acting_user=acting_user,
        body=f"Lent loaner {loaner.label} to {loan.borrower}, due back {due_on:%B} {due_on.day}, {due_on.year}.",
    )
    return loan


@transaction.atomic
def ticket_loaner_return(*, acting_user, ticket: Ticket, loan: Loan) -> tuple[Loan, bool]:
    """Return a loaner lent from the ticket; the note goes on the ticket only when this press returned it."""
    returned, changed = loan_return(loan=loan, acting_user=acting_user)
    if not changed:
        return returned, False
    event_add(
        ticket=ticket,
        kind=TicketEvent.Kind.NOTE,
        acting_user=acting_user,
        body=f"Loaner {returned.device.label} returned by {returned.borrower}; it is in service again.",
    )
    return returned, True
