"""The ticket page's device panel actions (attach, status, loaners) and the technicians' device page."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from devices.models import Device, Loan
from devices.selectors import device_for_reference, device_history, device_loans, loans_open
from devices.services import LoanError, loan_return
from helpdesk.technicians import technician_required
from submissions.once import submit_once
from tickets.device_selectors import device_tickets
from tickets.forms.devices import LoanerLendForm
from tickets.models import Ticket
from tickets.selectors import ticket_for_technician
from tickets.services.devices import (
    TICKET_DEVICE_STATUSES,
    DeviceStatusError,
    ticket_device_set,
    ticket_device_status_set,
    ticket_loaner_lend,
    ticket_loaner_return,
)


def _ticket_or_404(number: int) -> Ticket:
    ticket = ticket_for_technician(number=number)
    if ticket is None:
        raise Http404("No such ticket")
    return ticket


def _closed_refused(request: HttpRequest, ticket: Ticket) -> HttpResponse | None:
    """A closed (or resolved) ticket's device, status and loaners stay as they were; say how to change them."""
    if ticket.is_open:
        return None
    messages.error(
        request,
        f"Ticket {ticket.display_number} is {ticket.get_status_display().lower()}, so its device cannot be changed "
        "here. Reopen the ticket first, or open a new ticket for the device.",
    )
    return redirect(f"{ticket.get_absolute_url()}#device-heading")


@require_POST
@submit_once
@technician_required
def ticket_device_view(request: HttpRequest, number: int) -> HttpResponse:
    """Attach, change or remove the ticket's device by its asset tag or serial number."""
    ticket = _ticket_or_404(number)
    if refused := _closed_refused(request, ticket):
        return refused
    reference = request.POST.get("reference", "").strip()[:60]
    if request.POST.get("remove") == "yes":
        device = None
    else:
        device = device_for_reference(reference=reference)
        if device is None:
            messages.error(
                request,
                f"No device has the asset tag or serial “{reference}”. Check the number on its sticker, "
                "or add the device in admin first."
                if reference
                else "Please enter the asset tag or serial.",
            )
            return redirect(f"{ticket.get_absolute_url()}#device-heading")
    event = ticket_device_set(acting_user=request.user, ticket=ticket, device=device)
    if event is None:
        messages.info(request, "That device was already on this ticket; nothing changed.")
    else:
        messages.success(request, f"Device {'set to ' + device.label if device else 'removed'}.")
    return redirect(f"{ticket.get_absolute_url()}#device-heading")


@require_POST
@submit_once
@technician_required
def ticket_device_status_view(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _ticket_or_404(number)
    if refused := _closed_refused(request, ticket):
        return refused
    status = request.POST.get("status", "")
    if ticket.device is None or status not in TICKET_DEVICE_STATUSES:
        messages.error(request, "Choose In repair or In service for the ticket's device.")
        return redirect(ticket)
    try:
        event = ticket_device_status_set(acting_user=request.user, ticket=ticket, status=status)
    except DeviceStatusError as error:
        messages.error(request, str(error))
        return redirect(f"{ticket.get_absolute_url()}#device-heading")
    label = Device.Status(status).label
    messages.success(request, f"{ticket.device.label} is {label}." if event else f"It was already {label}.")
    return redirect(f"{ticket.get_absolute_url()}#device-heading")


@require_http_methods(["GET", "POST"])
@submit_once
@technician_required
def ticket_loaner_view(request: HttpRequest, number: int) -> HttpResponse:
    """Lend a loaner from a ticket: pick an available device, the borrower and a due date."""
    ticket = _ticket_or_404(number)
    if refused := _closed_refused(request, ticket):
        return refused
    initial = {"borrower": ticket.device.assigned_to if ticket.device else "", "borrower_email": ticket.requester_email}
    form = LoanerLendForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan = ticket_loaner_lend(
                acting_user=request.user,
                ticket=ticket,
                loaner=data["loaner"],
                borrower=data["borrower"],
                borrower_email=data["borrower_email"],
                due_on=data["due_on"],
            )
        except LoanError as error:
            form.add_error("loaner", str(error))
        else:
            messages.success(
                request,
                f"Loaner {loan.device.label} lent to {loan.borrower}, due {data['due_on']:%b} {data['due_on'].day}.",
            )
            return redirect(f"{ticket.get_absolute_url()}#device-heading")
    status = 400 if form.errors else 200
    return render(request, "devices/loaner_lend.html", {"ticket": ticket, "form": form}, status=status)


@require_POST
@submit_once
@technician_required
def loan_return_view(request: HttpRequest, loan_id: int) -> HttpResponse:
    """Return puts the loaner back in service; a loan from a ticket says so on the ticket too."""
    loan = get_object_or_404(Loan.objects.select_related("device"), pk=loan_id)
    ticket = ticket_for_technician(number=loan.ticket_number) if loan.ticket_number else None
    if ticket is not None:
        _, changed = ticket_loaner_return(acting_user=request.user, ticket=ticket, loan=loan)
    else:
        _, changed = loan_return(loan=loan, acting_user=request.user)
    if changed:
        messages.success(request, f"Loaner {loan.device.label} is back and in service.")
    else:
        messages.info(request, f"Loaner {loan.device.label} was already returned; nothing changed.")
    if ticket is not None and request.POST.get("next") != "loans":
        return redirect(f"{ticket.get_absolute_url()}#device-heading")
    return redirect("tickets:loans")


def loaner_close_reminder(request: HttpRequest, ticket: Ticket) -> None:
    """After Close: a loaner still out on this ticket must be taken back; say so."""
    for loan in loans_open().filter(ticket_number=ticket.number):
        messages.warning(
            request,
            f"Remember to take back loaner {loan.device.label} from {loan.borrower} (due {loan.due_on:%b} "
            f"{loan.due_on.day}), then press Return on the loans page.",
        )


@require_GET
@technician_required
def loans_list(request: HttpRequest) -> HttpResponse:
    """The loaners that are out, overdue first."""
    loans = list(loans_open())
    context = {
        "overdue": [loan for loan in loans if loan.is_overdue],
        "out": [loan for loan in loans if not loan.is_overdue],
    }
    return render(request, "devices/loans.html", context)


@require_GET
@technician_required
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A device's tickets, loans and history."""
    device = get_object_or_404(Device.objects.select_related("school"), pk=pk)
    context = {
        "device": device,
        "tickets": device_tickets(device=device),
        "loans": device_loans(device=device),
        "history": device_history(device=device),
    }
    return render(request, "devices/device_detail.html", context)
