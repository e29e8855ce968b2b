from django import template
from django.utils import timezone

from devices.models import Loan
from helpdesk.kept import kept_table

register = template.Library()


@kept_table("devices:open-loan-due-dates:v1", seconds=60, forgotten_by=(Loan,))
def open_loan_due_dates_kept() -> tuple:
    """The due date of each loaner still out: a short list, kept until a loan changes."""
    return tuple(Loan.objects.filter(returned_at__isnull=True).values_list("due_on", flat=True))


@register.inclusion_tag("devices/_queue_loans.html")
def loans_overdue_link() -> dict:
    """The queue's reminder of loaners past their due date, counted from the kept due dates (no query)."""
    today = timezone.localdate()
    return {"overdue": sum(1 for due_on in open_loan_due_dates_kept() if due_on < today)}
