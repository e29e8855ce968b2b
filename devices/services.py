"""Writes to devices: a status set from a ticket, loans lent, reminded and returned. History records who and when."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from devices.models import Device, Loan
from notifications.services import email_enqueue


class LoanError(Exception):
    """The loan cannot be made or ended as asked; the message says why and what to do."""


@transaction.atomic
def device_status_set(*, device: Device, status: str, acting_user) -> tuple[str, str] | None:
    """Set a device's status; return (old label, new label), or None when it already had it."""
    locked = Device.objects.select_for_update().get(pk=device.pk)
    if locked.status == status:
        return None
    old = locked.get_status_display()
    locked.status = status
    locked._history_user = acting_user
    locked.save(update_fields=["status"])
    device.status = status
    return old, locked.get_status_display()


@transaction.atomic
def loan_lend(
    *, device: Device, borrower: str, borrower_email: str, due_on: date, acting_user, ticket_number: int | None
) -> Loan:
    """Lend an available loaner: it becomes Loaned out until it is returned."""
    locked = Device.objects.select_for_update().get(pk=device.pk)
    if not locked.is_loaner or locked.status != Device.Status.IN_SERVICE:
        raise LoanError(f"{locked.label} is not an available loaner; choose another one.")
    if due_on < timezone.localdate():
        raise LoanError("The due date is in the past; choose today or a later day.")
    loan = Loan(
        device=locked,
        borrower=borrower.strip(),
        borrower_email=borrower_email.strip().lower(),
        due_on=due_on,
        lent_by=acting_user,
        ticket_number=ticket_number,
    )
    try:
        loan.full_clean(exclude=["device"])
    except ValidationError as error:
        raise LoanError(" ".join(error.messages)) from error
    loan._history_user = acting_user
    loan.save()
    device_status_set(device=locked, status=Device.Status.LOANED_OUT, acting_user=acting_user)
    return loan


@transaction.atomic
def loan_return(*, loan: Loan, acting_user) -> tuple[Loan, bool]:
    """Take a loaner back: the loan ends and the device is In service again. The flag is False when it was
    already back (a second press), and nothing changed."""
    locked = Loan.objects.select_for_update().select_related("device").get(pk=loan.pk)
    if locked.returned_at is not None:
        return locked, False
    locked.returned_at, locked.returned_to = timezone.now(), acting_user
    locked._history_user = acting_user
    locked.save(update_fields=["returned_at", "returned_to"])
    device_status_set(device=locked.device, status=Device.Status.IN_SERVICE, acting_user=acting_user)
    return locked, True


def loan_reminders_send(*, today: date | None = None) -> int:
    """Email each borrower once, on the due date (or the first run after it), to bring the loaner back."""
    today = today or timezone.localdate()
    sent = 0
    due = Loan.objects.filter(returned_at__isnull=True, reminded_at__isnull=True, due_on__lte=today)
    for loan_id in due.exclude(borrower_email="").values_list("pk", flat=True):
        with transaction.atomic():
            loan = (
                Loan.objects.select_for_update(skip_locked=True)
                .select_related("device")
                .filter(pk=loan_id, reminded_at__isnull=True, returned_at__isnull=True)
                .first()
            )
            if loan is None:
                continue
            email_enqueue(
                to=loan.borrower_email,
                template="notifications/email/loaner_due",
                context={"loan": loan, "device": loan.device},
                idempotency_key=f"loaner-due-{loan.pk}",
            )
            loan.reminded_at = timezone.now()
            loan.save(update_fields=["reminded_at"])
            sent += 1
    return sent
