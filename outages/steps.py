"""The ticket form's outage step: a submission matching an open outage sees it before any ticket is made."""

from django.urls import reverse

from outages.selectors import outage_matching
from outages.services import outage_person_add
from tickets.submit_steps import SubmitStepDone, SubmitStepShow

AFFECTED, DIFFERENT = "affected", "different"


def outage_submit_step(*, fields: dict, answers: dict[str, str]) -> SubmitStepShow | SubmitStepDone | None:
    """Show the open outage at this school and type; "I'm affected too" ends without a ticket."""
    school, ticket_type = fields.get("school"), fields.get("ticket_type")
    outage = outage_matching(
        school_id=school.pk if school else None, ticket_type_id=ticket_type.pk if ticket_type else None
    )
    if outage is None:
        return None
    answer = answers.get("outage_choice", "")
    if answer == f"{DIFFERENT}:{outage.public_id}":
        return None
    if answer == f"{AFFECTED}:{outage.public_id}":
        outage_person_add(outage=outage, email=fields["requester_email"])
        return SubmitStepDone(redirect_url=reverse("outages:affected", kwargs={"public_id": outage.public_id}))
    return SubmitStepShow(template="outages/_submit_step.html", context={"outage": outage})
