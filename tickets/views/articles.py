"""Help articles on the technicians' ticket page: Insert article link, and Create article from this ticket."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from helparticles.links import article_links_for_reply
from helpdesk.technicians import technician_required
from tickets.selectors import ticket_for_technician
from tickets.services.articles import ticket_article_draft_create


def composer_article_links(request: HttpRequest, composer_initial: dict) -> list[tuple[int, str, str]]:
    """The articles to insert; without JavaScript, ?article_link=<id> fills the reply with that one's link."""
    links = article_links_for_reply()
    chosen = request.GET.get("article_link")
    if chosen:
        text = next((text for pk, _, text in links if str(pk) == chosen), "")
        composer_initial["body"] = "\n\n".join(part for part in (composer_initial.get("body", ""), text) if part)
    return links


@require_POST
@technician_required
def ticket_article_draft(request: HttpRequest, number: int) -> HttpResponse:
    """Create article from this ticket; an admin who may edit articles goes straight to the draft."""
    ticket = ticket_for_technician(number=number)
    if ticket is None:
        raise Http404("No such ticket")
    article = ticket_article_draft_create(acting_user=request.user, ticket=ticket)
    if request.user.has_perm("helparticles.change_helparticle"):
        return redirect(reverse("admin:helparticles_helparticle_change", args=[article.pk]))
    messages.success(
        request,
        f"Draft help article “{article.title}” saved, unpublished. An admin can edit and publish it in Help articles.",
    )
    return redirect("tickets:detail", number=ticket.number)
