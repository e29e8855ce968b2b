"""One way to keep a small table (helpdesk.kept.kept_table): one entry per table, forgotten by its own rows only,
and drop-downs that list and accept from the same reader (helpdesk.kept_choices.KeptChoiceField)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from district.models import School
from helpdesk.kept_choices import KeptChoiceField
from tests.factories import SchoolFactory, TechnicianFactory, TicketFactory, TicketTypeFactory
from tickets.models import CannedResponse
from tickets.reference import canned_responses_kept, schools_kept, technicians_kept, ticket_types_kept

pytestmark = pytest.mark.django_db
READERS = (schools_kept, ticket_types_kept, technicians_kept, canned_responses_kept)


def kept_now() -> set[str]:
    return {reader.key for reader in READERS if cache.get(reader.key) is not None}


def test_each_table_is_forgotten_by_its_own_rows_only(technician):
    every = {reader.key for reader in READERS}
    for reader in READERS:
        reader()
    assert kept_now() == every
    CannedResponse.objects.create(title="Restart the projector", body="Hold the power button for ten seconds.")
    assert kept_now() == every - {canned_responses_kept.key}  # the school names stay kept
    for reader in READERS:
        reader()
    SchoolFactory(name="Riverside Annex")
    assert kept_now() == every - {schools_kept.key}
    for reader in READERS:
        reader()
    TicketTypeFactory(name="Smartboard")
    assert kept_now() == every - {ticket_types_kept.key}


def test_technicians_are_forgotten_by_people_and_groups_but_not_by_a_sign_in(technician):
    technicians_kept()
    technician.save(update_fields=["last_login"])  # every sign-in
    assert technicians_kept.key in kept_now()
    newcomer = TechnicianFactory(username="robin", first_name="Robin", last_name="Hale")  # joins the group (m2m)
    assert technicians_kept().names[newcomer.pk] == "Robin Hale"
    newcomer.groups.clear()
    assert newcomer.pk not in technicians_kept().names


def test_a_kept_drop_down_lists_and_accepts_the_same_rows():
    open_school, closed_school = SchoolFactory(name="Open Elementary"), SchoolFactory(name="Closed Elementary")
    closed_school.is_active = False
    closed_school.save()
    field = KeptChoiceField(
        lambda: [(pk, name) for pk, name in schools_kept().active_choices], queryset=School.objects.all()
    )
    listed = dict(field.widget.choices)
    assert listed[open_school.pk] == "Open Elementary" and closed_school.pk not in listed
    assert field.clean(str(open_school.pk)) == open_school
    with pytest.raises(Exception, match="Select a valid choice"):
        field.clean(str(closed_school.pk))


def test_the_public_form_refuses_a_school_it_no_longer_lists(client, district_policy):
    school = SchoolFactory(name="Closed Elementary")
    assert f'<option value="{school.pk}">Closed Elementary</option>' in client.get("/tickets/new/").content.decode()
    school.is_active = False
    school.save()  # as admin saves it
    page = client.get("/tickets/new/").content.decode()
    assert "Closed Elementary" not in page
    response = client.post("/tickets/new/", {"school": school.pk, "subject": "Printer"})
    assert "Select a valid choice" in response.content.decode()


def test_a_request_reads_each_table_from_the_cache_once(tech_client, monkeypatch):
    """The ticket page asked for the technicians six times; within a request the first answer is reused."""
    from helpdesk import kept

    asked = []
    real_get = cache.get
    monkeypatch.setattr(
        kept.cache, "get", lambda key, *args, **kwargs: asked.append(key) or real_get(key, *args, **kwargs)
    )
    ticket = TicketFactory(assignee=None)
    tech_client.get(reverse("tickets:detail", args=[ticket.number]))
    kept_keys = [key for key in asked if key in kept._keys_used]
    assert kept_keys and len(kept_keys) == len(set(kept_keys))
    asked.clear()
    tech_client.get(reverse("tickets:detail", args=[ticket.number]))  # the next request asks the cache again
    assert technicians_kept.key in asked


def test_a_change_made_during_the_request_is_seen_by_the_same_request():
    from helpdesk import kept

    kept._request_began()  # as request_started does (sending it here would also close the test's connection)
    try:
        assert "Riverside Annex" not in schools_kept().names.values()
        SchoolFactory(name="Riverside Annex")  # forgets the table, and this request's copy
        assert "Riverside Annex" in schools_kept().names.values()
        School.objects.filter(name="Riverside Annex").update(name="Riverside Campus")  # no signal: the copy stays
        assert "Riverside Annex" in schools_kept().names.values()
    finally:
        kept._request_ended()
    schools_kept.forget()
    assert "Riverside Campus" in schools_kept().names.values()  # outside a request, every read asks the cache
