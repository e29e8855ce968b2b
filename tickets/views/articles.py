"""Help articles for technicians: Insert article link, Create article from this ticket, and the report."""

import csv
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from helparticles.links import article_links_for_reply
from helpdesk.csv_cells import csv_safe
from helpdesk.technicians import technician_required
from submissions.once import submit_once
from tickets.article_reports import CSV_TABLES, article_report_for_range
from tickets.forms import ReportRangeForm
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
@submit_once  # a double click makes one draft
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


def _report_range(request: HttpRequest) -> tuple[ReportRangeForm, date, date]:
    today = timezone.localdate()
    default = today - timedelta(weeks=26)
    form = ReportRangeForm(request.GET or None, initial={"start": default, "end": today})
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, default, today


@require_GET
@technician_required
def article_reports(request: HttpRequest) -> HttpResponse:
    form, start, end = _report_range(request)
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    context = {
        "form": form,
        "start": start,
        "end": end,
        "csv_query": query,
        **article_report_for_range(start=start, end=end),
    }
    return render(request, "helparticles/reports.html", context)


@require_GET
@technician_required
def article_reports_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in CSV_TABLES:
        raise Http404("No such report")
    _, start, end = _report_range(request)
    header, cells = CSV_TABLES[table]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="help-articles-{table}-{start}-{end}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in article_report_for_range(start=start, end=end)[table]:
        writer.writerow([csv_safe(value) for value in cells(row)])
    return response
