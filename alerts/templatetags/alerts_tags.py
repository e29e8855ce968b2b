"""What tickets' pages show of alerts: who the next reply, note or assignment emails; who covers each school."""

from django import template

from alerts.selectors import alert_technicians_kept
from alerts.selectors import notify_preview as preview_for

register = template.Library()


@register.simple_tag
def notify_preview(ticket, user):
    """Who the ticket page's next reply, note or assignment would email (one query)."""
    return preview_for(ticket=ticket, acting_user=user)


@register.simple_tag(takes_context=True)
def school_covered_by(context, school_id) -> str:
    """The names of the technicians who cover this school; one query per page, however many schools it lists."""
    request = context.get("request")
    coverage = getattr(request, "_alerts_school_coverage", None)
    if coverage is None:
        coverage = school_coverage()
        if request is not None:
            request._alerts_school_coverage = coverage
    return coverage.get(school_id, "")


def school_coverage() -> dict[int, str]:
    """Each school's covering technicians' names, by school id, from the kept technicians (no query once kept)."""
    names: dict[int, list[str]] = {}
    for technician in alert_technicians_kept():  # by name
        for school_id in technician.school_ids:
            names.setdefault(school_id, []).append(technician.full_name)
    return {school_id: ", ".join(people) for school_id, people in names.items()}
