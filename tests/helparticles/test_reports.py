"""The Help articles report: deflections per article per month, articles that did not help, and what to write next."""

import csv
import io
from datetime import datetime

import pytest
from django.utils import timezone

from helparticles.models import ArticleFeedback, ArticleSearchMiss
from tests.factories import TicketFactory
from tests.helparticles.factories import HelpArticleFactory
from tickets.models import TicketSeenArticle

pytestmark = pytest.mark.django_db
RANGE = "?start=2026-09-01&end=2026-11-30"


def at(month: int, day: int = 10):
    return timezone.make_aware(datetime(2026, month, day, 10))


@pytest.fixture
def answers(client):
    """Two This solved it answers on the printer article in October (one from the form), one in November."""
    printer = HelpArticleFactory(title="Printer is offline", slug="printer-stuck")
    projector = HelpArticleFactory(title="Projector says no signal", slug="no-signal")
    client.post("/help/printer-stuck/solved/")
    client.post("/help/printer-stuck/solved/?from=form")
    client.post("/help/no-signal/still-need-help/")
    ArticleFeedback.objects.filter(article=printer).update(created_at=at(10))
    ArticleFeedback.objects.filter(article=projector).update(created_at=at(11))
    ArticleFeedback.objects.create(article=printer, outcome="solved", created_at=at(11))
    seen = TicketFactory(subject="Projector still no signal", created_at=at(11))
    TicketSeenArticle.objects.create(ticket=seen, article=projector)
    TicketFactory(subject="Smart board pen lost", created_at=at(11))
    TicketFactory(subject="smart board pen lost", created_at=at(11, 12))
    ArticleSearchMiss.objects.create(query="smart board pen", created_at=at(11))
    return printer, projector


def test_the_report_counts_deflections_per_article_per_month(tech_client, answers):
    content = tech_client.get("/reports/help-articles/" + RANGE).content.decode()
    assert '<td>November 2026</td><th scope="row">Printer is offline</th><td>1</td><td>0</td><td>1</td>' in content
    assert '<td>October 2026</td><th scope="row">Printer is offline</th><td>1</td><td>1</td><td>2</td>' in content


def test_the_report_lists_articles_seen_before_a_ticket_and_what_matched_nothing(tech_client, answers):
    content = tech_client.get("/reports/help-articles/" + RANGE).content.decode()
    assert '<th scope="row">Projector says no signal</th><td>1</td><td>1</td><td>0</td>' in content
    assert '<th scope="row">smart board pen</th><td>1</td>' in content  # a search that found nothing
    assert '<th scope="row">smart board pen lost</th><td>2</td>' in content  # subjects shown no article
    assert "projector still no signal" not in content


def test_each_table_downloads_as_csv(tech_client, answers):
    response = tech_client.get("/reports/help-articles/deflections.csv" + RANGE)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Month", "Article", "Solved on the article page", "Solved on the ticket form", "Deflections"],
        ["2026-11", "Printer is offline", "1", "0", "1"],
        ["2026-10", "Printer is offline", "1", "1", "2"],
    ]
    for table in ("unhelpful", "search_misses", "unmatched_subjects"):
        assert tech_client.get(f"/reports/help-articles/{table}.csv{RANGE}").status_code == 200
    assert tech_client.get("/reports/help-articles/other.csv").status_code == 404


def test_the_report_is_for_technicians_only(client):
    assert client.get("/reports/help-articles/").status_code == 302
    assert client.get("/reports/help-articles/deflections.csv").status_code == 302


def test_the_reports_page_links_to_it(tech_client):
    assert 'href="/reports/help-articles/"' in tech_client.get("/reports/").content.decode()


def test_a_range_ending_in_the_year_9999_is_refused_politely(tech_client):
    response = tech_client.get("/reports/help-articles/?start=9999-01-01&end=9999-12-31")
    assert response.status_code == 200
    assert "Please choose a To date before the year 9999." in response.content.decode()
    assert tech_client.get("/reports/?start=9999-01-01&end=9999-12-31").status_code == 200
