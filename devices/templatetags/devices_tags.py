from django import template
from django.utils import timezone

from devices.models import Loan

register = template.Library()


@register.inclusion_tag("devices/_queue_loans.html")
def loans_overdue_link() -> dict:
    """The queue's reminder of loaners past their due date: one count on a small table."""
    overdue = Loan.objects.filter(returned_at__isnull=True, due_on__lt=timezone.localdate()).count()
    return {"overdue": overdue}
