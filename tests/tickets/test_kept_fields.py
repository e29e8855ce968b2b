"""The empty forms' fields are kept in the cache ({% cache %}), yet never show stale choices or a person's values."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.urls import reverse

from tests.factories import SchoolFactory, TechnicianFactory, TicketFactory, TicketTypeFactory
from tickets.forms import TicketSubmitForm

pytestmark = pytest.mark.django_db

FIELDS_TEMPLATE = "tickets/_ticket_form_fields.html"


def form_page(client) -> str:
    response = client.get(reverse("tickets:submit"))
    assert response.status_code == 200
    return response.content.decode()


def kept_form_fields() -> str | None:
    """The public form's fields as the cache holds them, under the key the template gives them."""
    key = make_template_fragment_key("form_fields", [FIELDS_TEMPLATE, TicketSubmitForm().fields_version])
    return cache.get(key)


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_the_empty_forms_fields_are_kept_and_the_csrf_token_is_not(client, district_defaults):
    first = form_page(client)
    kept = kept_form_fields()
    assert kept and 'id="id_school"' in kept and 'name="requester_email"' in kept
    assert "csrfmiddlewaretoken" not in kept and "g-recaptcha" not in kept and 'type="hidden"' not in kept
    second = form_page(type(client)())
    assert kept in first and kept in second  # the second visitor got the kept fields
    assert csrf_token(first) != csrf_token(second)


def test_the_kept_fields_carry_the_sites_key_prefix(client, district_defaults):
    form_page(client)
    key = make_template_fragment_key("form_fields", [FIELDS_TEMPLATE, TicketSubmitForm().fields_version])
    prefix = settings.CACHES["default"]["KEY_PREFIX"]  # {% cache %} uses the default cache: this site's prefix
    assert prefix and cache.make_key(key).startswith(f"{prefix}:")
    if settings.CACHE_URL:  # Redis: the stored key, read without Django, starts with the prefix
        import redis

        assert redis.Redis.from_url(settings.CACHE_URL).exists(cache.make_key(key))
    else:
        assert cache.get(key)


def test_a_school_added_renamed_or_retired_shows_in_the_kept_form_at_once(client, district_defaults):
    assert "Lakeside Academy" not in form_page(client)
    school = SchoolFactory(name="Lakeside Academy")  # as admin saves it: the kept schools are forgotten
    assert f'<option value="{school.pk}">Lakeside Academy</option>' in form_page(client)
    school.name = "Lakeside Middle School"
    school.save()
    page = form_page(client)
    assert "Lakeside Middle School" in page and "Lakeside Academy" not in page
    school.is_active = False
    school.save()
    assert "Lakeside Middle School" not in form_page(client)
    TicketTypeFactory(name="Document camera")
    assert "Document camera" in form_page(client)


def test_a_changed_upload_limit_shows_at_once(client, district_defaults, settings):
    form_page(client)
    settings.HELPDESK_ATTACHMENT_MAX_FILES = 2
    assert "Up to 2 files" in form_page(client)


def test_a_form_with_errors_shows_what_this_person_typed_and_is_not_kept(client, district_defaults):
    form_page(client)
    kept = kept_form_fields()
    html = client.post(
        reverse("tickets:submit"), {"requester_email": "pat.lee@northpanolaschools.org", "subject": "Projector 12"}
    ).content.decode()
    assert 'value="pat.lee@northpanolaschools.org"' in html and 'value="Projector 12"' in html
    assert "Please enter your classroom number" in html and kept not in html
    assert kept_form_fields() == kept
    fresh = form_page(type(client)())
    assert "pat.lee@northpanolaschools.org" not in fresh and "Projector 12" not in fresh


def test_values_kept_from_a_refused_post_are_rendered_afresh():
    form = TicketSubmitForm(initial={"subject": "Projector 12", "school": "1"})
    assert form.fields_version == ""
    assert TicketSubmitForm().fields_version != ""


def test_each_ticket_page_marks_its_own_values(tech_client, technician):
    software = TicketTypeFactory(name="Software")
    other = TechnicianFactory(username="robin", first_name="Robin", last_name="Hale")
    first = TicketFactory(number=8001, status="open", priority=1, ticket_type=software, assignee=technician)
    second = TicketFactory(number=8002, status="waiting", priority=4, ticket_type=None, assignee=other)

    def chosen(number: int) -> dict[str, str]:
        page = tech_client.get(reverse("tickets:detail", args=[number])).content.decode()
        # The details box (priority, type, school) and the composer beside the reply (status, assignee).
        selects = re.findall(
            r'<select name="(\w+)"[^>]*id="id_(?:update|composer)-\w+"[^>]*>(.*?)</select>', page, re.S
        )
        return {name: re.findall(r'<option value="([^"]*)" selected>', options) for name, options in selects}

    for _ in range(2):  # the second time, from the cache
        assert chosen(8001) == {
            "status": ["open"],
            "priority": ["1"],
            "ticket_type": [str(software.pk)],
            "school": [str(first.school_id)],
            "assignee": [str(technician.pk)],
        }
        assert chosen(8002) == {
            "status": ["waiting"],
            "priority": ["4"],
            "ticket_type": [""],
            "school": [str(second.school_id)],
            "assignee": [str(other.pk)],
        }


def test_a_rejected_update_shows_what_the_technician_chose(tech_client):
    ticket = TicketFactory(number=8003, status="open")
    response = tech_client.post(
        reverse("tickets:update", args=[8003]),
        {"status": "waiting", "priority": "4", "school": "", "version": ticket.version},
    )
    page = response.content.decode()
    assert response.status_code == 400 and '<option value="4" selected>' in page
    # The composer likewise: the chosen status and the typed reply come back with the error.
    response = tech_client.post(
        reverse("tickets:compose", args=[8003]),
        {"kind": "reply", "body": "On my way", "status": "waiting", "assignee": "999999", "version": ticket.version},
    )
    page = response.content.decode()
    assert (
        response.status_code == 400 and '<option value="waiting" selected>' in page and "On my way</textarea>" in page
    )


def _queue_selected(page: str) -> dict[str, list[str]]:
    """Each drop-down of the queue's filters and bulk bar, with the values it shows chosen."""
    selects = re.findall(r'<select name="(\w+)"[^>]*id="(id_[\w-]+)"[^>]*>(.*?)</select>', page, re.S)
    return {ident: re.findall(r'<option value="([^"]*)" selected>', options) for _, ident, options in selects}


def test_the_queues_filters_show_each_pages_own_choices_from_the_cache(tech_client, technician):
    school = SchoolFactory(name="Lakeside Academy")
    TicketFactory(number=8101, status="open", school=school)
    for _ in range(2):  # the second time, from the cache
        plain = _queue_selected(tech_client.get(reverse("tickets:queue")).content.decode())
        chosen = _queue_selected(
            tech_client.get(
                reverse("tickets:queue"), {"school": school.pk, "priority": "4", "sort": "age"}
            ).content.decode()
        )
        assert plain["id_school"] == [""] and plain["id_priority"] == [""] and plain["id_status"] == ["active"]
        assert chosen["id_school"] == [str(school.pk)] and chosen["id_priority"] == ["4"]
        assert chosen["id_sort"] == ["age"] and chosen["id_bulk-status"] == [""]


def test_the_queues_search_words_and_a_wrong_filter_are_never_kept(tech_client):
    from tickets.filters import TicketQueueFilter

    searched = tech_client.get(reverse("tickets:queue"), {"q": "projector in room 12"}).content.decode()
    assert 'value="projector in room 12"' in searched
    assert TicketQueueFilter({"q": "projector in room 12"}).form.fields_version != ""  # its drop-downs are kept
    assert TicketQueueFilter({"school": "not-a-school"}).form.fields_version == ""  # rendered afresh
    page = tech_client.get(reverse("tickets:queue"), {"school": "not-a-school"})
    assert page.status_code == 200 and "not-a-school" not in _queue_selected(page.content.decode())["id_school"]


def test_the_bulk_bar_is_kept_without_listing_the_tickets():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tickets.forms.workspace import BulkActionForm

    TicketFactory(number=8102)
    with CaptureQueriesContext(connection) as queries:
        version = BulkActionForm().fields_version
    # The row checkboxes' choices (every ticket) are never read for the key; the technicians' kept table may be.
    assert not [query for query in queries if "tickets_ticket" in query["sql"]]
    assert version and BulkActionForm({"action": "close"}).fields_version == ""  # a refused POST: afresh
