"""The public form's fields come from HTML rendered once, yet never show stale choices or another person's values."""

import re

import pytest
from django.urls import reverse

from tests.factories import SchoolFactory
from tickets.fragments import _rendered

pytestmark = pytest.mark.django_db


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_form_fields_are_rendered_once_and_the_csrf_token_per_request(client, district_defaults):
    _rendered.clear()
    first = client.get(reverse("tickets:submit")).content.decode()
    kept = len(_rendered)
    other_browser = type(client)()
    second = other_browser.get(reverse("tickets:submit")).content.decode()
    assert kept == len(_rendered) == 1  # the second page reused the fields' HTML
    assert csrf_token(first) != csrf_token(second)
    assert 'name="requester_email"' in second and 'id="id_school"' in second


def test_a_school_added_or_renamed_in_admin_shows_at_once(client, district_defaults):
    assert "Lakeside Academy" not in client.get(reverse("tickets:submit")).content.decode()
    school = SchoolFactory(name="Lakeside Academy")
    assert "Lakeside Academy" in client.get(reverse("tickets:submit")).content.decode()
    school.name = "Lakeside Middle School"  # as admin saves it (tickets.reference forgets the kept schools)
    school.save()
    html = client.get(reverse("tickets:submit")).content.decode()
    assert "Lakeside Middle School" in html and "Lakeside Academy" not in html
    school.is_active = False  # retired: it leaves the form at once
    school.save()
    assert "Lakeside Middle School" not in client.get(reverse("tickets:submit")).content.decode()


def test_a_form_with_errors_shows_what_this_person_typed(client, district_defaults):
    client.get(reverse("tickets:submit"))
    html = client.post(
        reverse("tickets:submit"), {"requester_email": "pat.lee@northpanolaschools.org", "subject": "Projector 12"}
    ).content.decode()
    assert 'value="pat.lee@northpanolaschools.org"' in html and 'value="Projector 12"' in html
    fresh = type(client)().get(reverse("tickets:submit")).content.decode()
    assert "pat.lee@northpanolaschools.org" not in fresh and "Projector 12" not in fresh


@pytest.mark.parametrize(
    ("status", "priority", "with_type", "assigned"),
    [("open", 1, True, False), ("in_progress", 4, False, True), ("waiting", 2, True, True)],
)
def test_the_update_box_marks_each_tickets_own_values(technician, status, priority, with_type, assigned, settings):
    from tests.factories import TicketFactory, TicketTypeFactory
    from tickets.forms import TicketUpdateForm
    from tickets.fragments import form_fields_html

    other_type = TicketTypeFactory(name="Software")
    ticket = TicketFactory(
        status=status,
        priority=priority,
        ticket_type=other_type if with_type else None,
        assignee=technician if assigned else None,
    )

    def render() -> str:
        form = TicketUpdateForm(initial=TicketUpdateForm.initial_for(ticket))
        return form_fields_html(form=form, template_name="tickets/_visible_fields.html")

    TicketFactory(status="resolved", priority=3)  # warms the fragment with another ticket's values
    from_fragment = render()
    settings.DEBUG = True  # renders in full
    assert from_fragment == render()
    assert from_fragment.count(" selected>") == 5
