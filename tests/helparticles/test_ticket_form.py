"""These might help on the ticket form: the htmx suggestions, and the articles a submitted ticket records as seen."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk import ratelimits
from tests.helparticles.factories import HelpArticleFactory
from tickets.models import Ticket, TicketSeenArticle

pytestmark = pytest.mark.django_db
SUBMIT_URL = "/tickets/new/"


def test_the_form_carries_an_htmx_suggestion_panel_after_the_routing_panel(client):
    content = client.get(SUBMIT_URL).content.decode()
    panel = content.index('id="article-suggestions"')
    assert content.index('id="routing-panel"') < panel < content.index('id="ticket-submit"')
    assert 'aria-live="polite"' in content[panel - 40 : panel + 200]
    assert 'data-hx-post="/help/suggest/"' in content and "delay:700ms" in content


def test_suggest_answers_with_up_to_three_articles_and_keeps_earlier_seen_ones(client):
    article = HelpArticleFactory(title="Projector says no signal", keywords="hdmi")
    response = client.post(
        "/help/suggest/", {"subject": "Projector no signal", "description": "", "seen_article": "77"}
    )
    content = response.content.decode()
    assert "These might help" in content and f'href="/help/{article.slug}/"' in content
    assert 'target="_blank"' in content and "opens in a new tab" in content
    assert f'formaction="/help/{article.slug}/solved/?from=form"' in content
    assert '<input type="hidden" name="seen_article" value="77">' in content
    assert f'<input type="hidden" name="seen_article" value="{article.pk}">' in content
    nothing = client.post("/help/suggest/", {"subject": "Smart pen", "description": "lost"}).content.decode()
    assert "These might help" not in nothing


def test_suggest_is_rate_limited(client, monkeypatch):
    monkeypatch.setitem(ratelimits.LIMITS, "article_suggest", (ratelimits.Limit("2/h", "ip"),))
    monkeypatch.setitem(ratelimits.LIMITS, "article_answer", (ratelimits.Limit("1/h", "ip"),))
    data = {"subject": "printer offline", "description": ""}
    assert [client.post("/help/suggest/", data).status_code for _ in range(3)] == [200, 200, 429]
    HelpArticleFactory(slug="printer-stuck")
    assert [client.post("/help/printer-stuck/solved/").status_code for _ in range(2)] == [302, 429]


def test_a_submitted_ticket_records_the_articles_it_was_shown(client, ticket_fields):
    seen = HelpArticleFactory(title="Projector says no signal")
    draft = HelpArticleFactory(title="Draft", is_published=False)
    data = {**ticket_fields, "requester_email": "pat@northpanolaschools.org"}
    response = client.post(SUBMIT_URL, {**data, "seen_article": [str(seen.pk), str(draft.pk), "99999", "x"]})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert list(TicketSeenArticle.objects.filter(ticket=ticket).values_list("article_id", flat=True)) == [seen.pk]


def test_the_suggestions_cost_the_form_no_query(client, ticket_fields):
    """The form's GET and POST ask nothing about articles; only seen articles add their two queries."""

    def article_queries(request) -> list[str]:
        with CaptureQueriesContext(connection) as context:
            assert request().status_code in (200, 302)
        return [
            query["sql"]
            for query in context.captured_queries
            if "helparticle" in query["sql"] or "seenarticle" in query["sql"]
        ]

    seen = HelpArticleFactory(title="Projector says no signal")
    assert article_queries(lambda: client.get(SUBMIT_URL)) == []
    assert article_queries(lambda: client.get(f"{SUBMIT_URL}?subject=Projector&seen_article={seen.pk}")) == []
    data = {**ticket_fields, "requester_email": "pat@northpanolaschools.org"}
    assert article_queries(lambda: client.post(SUBMIT_URL, data)) == []
    data = {**data, "requester_email": "lee@northpanolaschools.org", "seen_article": seen.pk}
    assert len(article_queries(lambda: client.post(SUBMIT_URL, data))) == 2
