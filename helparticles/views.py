"""The public Help articles pages, the suggestions on the ticket form (htmx), and “Did this solve it?”."""

from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from helparticles.models import ArticleFeedback, HelpArticle, HelpArticleImage
from helparticles.rendering import markdown_render
from helparticles.seen import SEEN_FIELD, SEEN_MAX, seen_article_ids
from helparticles.selectors import (
    article_audiences,
    article_for_viewer,
    articles_by_type,
    articles_search,
    articles_suggested,
)
from helparticles.services import article_feedback_record, article_search_miss_record
from helpdesk.ratelimits import rate_limit_check, rate_limited
from helpdesk.requester_session import DISTRICT_ACCOUNT_SESSION_KEY, SESSION_KEY
from helpdesk.technicians import user_is_technician

FROM_TICKET_FORM = "form"


def viewer_audiences(request: HttpRequest) -> tuple[str, ...]:
    """Technicians read every article; a browser that proved a district address reads the staff ones too."""
    is_technician = user_is_technician(request.user)
    is_staff = bool(request.session.get(SESSION_KEY) or request.session.get(DISTRICT_ACCOUNT_SESSION_KEY))
    return article_audiences(is_technician=is_technician, is_staff=is_staff)


def _visible_or_404(request: HttpRequest, slug: str) -> HelpArticle:
    article = article_for_viewer(slug=slug, audiences=viewer_audiences(request))
    if article is None:  # unpublished, for another audience, or no such article: the same answer for each
        raise Http404("No such article")
    return article


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    audiences = viewer_audiences(request)
    query = request.GET.get("q", "").strip()[:200]
    context = {"query": query}
    if query:
        context["results"] = articles_search(query=query, audiences=audiences)
        if not context["results"] and rate_limit_check(request, name="article_search_miss", any_method=True) is None:
            article_search_miss_record(query=query)
    else:
        context["groups"] = articles_by_type(audiences=audiences)
    return render(request, "helparticles/article_list.html", context)


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = _visible_or_404(request, slug)
    image_urls = {
        image.name: reverse("helparticles:image", kwargs={"slug": article.slug, "image_id": image.pk})
        for image in article.images.all()
    }
    context = {"article": article, "body_html": markdown_render(article.body, image_urls=image_urls)}
    return render(request, "helparticles/article_detail.html", context)


@require_GET
def article_image(request: HttpRequest, slug: str, image_id: int) -> FileResponse:
    article = _visible_or_404(request, slug)
    image = get_object_or_404(HelpArticleImage, pk=image_id, article=article)
    try:
        opened = image.image.open("rb")
    except FileNotFoundError:
        raise Http404("No such picture") from None
    response = FileResponse(opened, content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _place(request: HttpRequest) -> str:
    if request.GET.get("from") == FROM_TICKET_FORM:
        return ArticleFeedback.Place.TICKET_FORM
    return ArticleFeedback.Place.ARTICLE


@require_POST
@rate_limited("article_answer")
def article_solved(request: HttpRequest, slug: str) -> HttpResponse:
    """This solved it: a deflection is recorded and nothing else, so no ticket is made."""
    article = _visible_or_404(request, slug)
    article_feedback_record(article=article, outcome=ArticleFeedback.Outcome.SOLVED, place=_place(request))
    return redirect("helparticles:solved_done", slug=article.slug)


@require_GET
def article_solved_done(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "helparticles/solved.html", {"article": _visible_or_404(request, slug)})


@require_POST
@rate_limited("article_answer")
def article_still_need_help(request: HttpRequest, slug: str) -> HttpResponse:
    """I still need help: the ticket form opens with the subject filled in, and the article counts as seen."""
    article = _visible_or_404(request, slug)
    article_feedback_record(article=article, outcome=ArticleFeedback.Outcome.STILL_NEED_HELP, place=_place(request))
    query = urlencode({"subject": article.title, SEEN_FIELD: article.pk})
    return redirect(f"{reverse('tickets:submit')}?{query}")


@require_POST
@rate_limited("article_suggest")
def article_suggest(request: HttpRequest) -> HttpResponse:
    """These might help: up to three articles for what is typed so far (htmx, while the person types)."""
    articles = articles_suggested(
        subject=request.POST.get("subject", "")[:200],
        description=request.POST.get("description", "")[:20_000],
        audiences=viewer_audiences(request),
    )
    seen = seen_article_ids(request)
    seen += [article.pk for article in articles if article.pk not in seen]
    context = {"articles": articles, "seen_ids": seen[:SEEN_MAX], "from_form": FROM_TICKET_FORM}
    return render(request, "helparticles/_suggestions.html", context)
