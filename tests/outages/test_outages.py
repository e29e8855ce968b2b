"""Declaring, what staff see, the form step, updates and resolving, each email through the real outbox and SMTP."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from outages import views
from outages.forms import OutageReportRangeForm
from outages.models import Outage, OutagePerson, OutageTicket, PossibleOutage
from outages.services import outage_declare, outage_person_add, outage_resolve, outage_update_post
from tests.factories import SchoolFactory, TicketFactory
from tickets.forms import ReportRangeForm
from tickets.models import Ticket, TicketEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outage_wording")]
SUBMIT_URL = "/tickets/new/"


def declare(technician, tickets, **fields):
    school = tickets[0].school if tickets else SchoolFactory(name="Green Hill Elementary School")
    return outage_declare(
        acting_user=technician,
        title=fields.get("title", "Internet down at Green Hill"),
        message=fields.get("message", "The fiber line is cut. Use the hotspot in the library meanwhile."),
        schools=[school],
        is_district_wide=False,
        ticket_type=tickets[0].ticket_type if tickets else None,
        ticket_ids=[ticket.pk for ticket in tickets],
    )


def by_recipient(messages) -> dict[str, list]:
    found: dict[str, list] = {}
    for message in messages:
        found.setdefault(message["To"], []).append(message)
    return found


def test_declaring_from_the_notice_links_the_tickets_and_emails_each_requester_once(
    make_tickets, tech_client, smtp_server, django_capture_on_commit_callbacks
):
    tickets = make_tickets(3)
    detection = PossibleOutage.objects.get()
    form = tech_client.get(f"/outages/declare/?detection={detection.pk}").content.decode()
    assert form.count("checked") >= 3 and "Message to staff" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = tech_client.post(
            "/outages/declare/",
            {
                "title": "Internet down at Green Hill",
                "schools": [tickets[0].school_id],
                "ticket_type": tickets[0].ticket_type_id,
                "message": "The fiber line is cut. Use the hotspot in the library meanwhile.",
                "tickets": [ticket.pk for ticket in tickets],
                "detection": detection.pk,
            },
        )
    outage = Outage.objects.get()
    assert response.status_code == 302 and response["Location"] == outage.get_absolute_url()
    assert OutageTicket.objects.filter(outage=outage).count() == 3
    messages = by_recipient(smtp_server.wait_for(3))
    assert sorted(messages) == sorted(ticket.requester_email for ticket in tickets)
    assert all(len(sent) == 1 for sent in messages.values())
    body = messages[tickets[0].requester_email][0].get_body(("plain",)).get_content()
    assert "The fiber line is cut." in body and "We will email you when it changes" in body
    assert messages[tickets[0].requester_email][0]["Subject"] == "We know about it: Internet down at Green Hill"
    detection.refresh_from_db()
    assert detection.status == PossibleOutage.Status.DECLARED
    assert "Possible outage" not in tech_client.get("/queue/").content.decode()
    page = tech_client.get("/queue/7001/").content.decode()
    assert "Part of the outage <strong>Internet down at Green Hill</strong>" in page
    assert tech_client.get("/outages/ticket/7001/")["Location"] == outage.get_absolute_url()


def test_a_requester_with_two_linked_tickets_gets_one_email(make_tickets, technician):
    tickets = make_tickets(2)
    tickets.append(TicketFactory(requester_email=tickets[0].requester_email, number=7100))
    outage = declare(technician, tickets)
    assert OutageTicket.objects.filter(outage=outage).count() == 3
    assert OutboundEmail.objects.filter(to=tickets[0].requester_email).count() == 1


def test_a_technician_declares_without_tickets_from_a_phone_call(tech_client, green_hill):
    response = tech_client.post(
        "/outages/declare/",
        {
            "title": "Phones down district-wide",
            "is_district_wide": "on",
            "message": "Desk phones are down. Use your cell phone for emergencies.",
            "reported_by": "Principal Ada Moore, Green Hill",
        },
    )
    outage = Outage.objects.get()
    assert response.status_code == 302
    assert outage.reported_by == "Principal Ada Moore, Green Hill" and outage.is_district_wide
    assert not OutboundEmail.objects.exists()
    assert "Principal Ada Moore" in tech_client.get(outage.get_absolute_url()).content.decode()


def test_declaring_needs_schools_or_district_wide(tech_client):
    response = tech_client.post("/outages/declare/", {"title": "Something", "message": "Something is down."})
    assert response.status_code == 200
    assert "Choose the affected schools, or tick District-wide." in response.content.decode()
    assert not Outage.objects.exists()


def test_known_issues_on_the_home_page_and_the_form(make_tickets, technician, client):
    declare(technician, make_tickets(1))
    for path in ("/", SUBMIT_URL):
        content = client.get(path).content.decode()
        assert "Known issues" in content, path
        assert "Internet down at Green Hill" in content and "Use the hotspot in the library" in content
        assert "Green Hill Elementary School" in content


def submission(school, ticket_type, **extra):
    return {
        "requester_email": "pat@northpanolaschools.org",
        "subject": "No internet in room 4",
        "ticket_type": ticket_type.pk,
        "priority": "2",
        "school": school.pk,
        "classroom": "4",
        "description": "No website loads on any laptop in my classroom since 8 this morning.",
        **extra,
    }


def test_the_form_shows_the_outage_before_any_ticket(make_tickets, technician, client, green_hill, internet):
    outage = declare(technician, make_tickets(1))
    response = client.post(SUBMIT_URL, submission(green_hill, internet))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Is this the problem we already know about?" in content
    assert f'value="affected:{outage.public_id}"' in content and "I’m affected too" in content
    assert f'value="different:{outage.public_id}"' in content and "My problem is different" in content
    assert 'value="No internet in room 4"' in content  # everything typed is kept
    assert Ticket.objects.count() == 1


def test_im_affected_too_makes_no_ticket_and_adds_the_person(make_tickets, technician, client, green_hill, internet):
    outage = declare(technician, make_tickets(1))
    response = client.post(SUBMIT_URL, submission(green_hill, internet, outage_choice=f"affected:{outage.public_id}"))
    assert response.status_code == 302
    assert Ticket.objects.count() == 1
    assert OutagePerson.objects.get(outage=outage).email == "pat@northpanolaschools.org"
    page = client.get(response["Location"]).content.decode()
    assert "No ticket was created. We will email you each update and when it is fixed." in page


def test_my_problem_is_different_creates_the_ticket_as_typed(make_tickets, technician, client, green_hill, internet):
    outage = declare(technician, make_tickets(1))
    response = client.post(SUBMIT_URL, submission(green_hill, internet, outage_choice=f"different:{outage.public_id}"))
    assert response.status_code == 302
    ticket = Ticket.objects.get(requester_email="pat@northpanolaschools.org")
    assert ticket.subject == "No internet in room 4" and ticket.classroom == "4"
    assert not OutagePerson.objects.exists()


def test_another_school_or_type_sees_no_step(make_tickets, technician, client, internet):
    declare(technician, make_tickets(1))
    other = SchoolFactory(name="Pope Elementary School")
    response = client.post(SUBMIT_URL, submission(other, internet))
    assert response.status_code == 302
    assert Ticket.objects.filter(school=other).exists()


def test_an_update_emails_each_person_once_and_is_a_reply_on_each_ticket(
    make_tickets, technician, smtp_server, django_capture_on_commit_callbacks
):
    tickets = make_tickets(3)
    outage = declare(technician, tickets)
    outage_person_add(outage=outage, email="pat@northpanolaschools.org")
    outage_person_add(outage=outage, email=tickets[0].requester_email)  # already linked: still one email
    with django_capture_on_commit_callbacks(execute=True):
        outage_update_post(acting_user=technician, outage=outage, body="AT&T is on site; about an hour more.")
    messages = by_recipient(smtp_server.wait_for(4))
    assert sorted(messages) == sorted([*(t.requester_email for t in tickets), "pat@northpanolaschools.org"])
    assert all(len(sent) == 1 for sent in messages.values())
    assert messages["pat@northpanolaschools.org"][0]["Subject"] == "Update: Internet down at Green Hill"
    for ticket in tickets:
        reply = ticket.events.get(kind=TicketEvent.Kind.REPLY)
        assert reply.body == "AT&T is on site; about an hour more." and reply.is_public
    assert OutboundEmail.objects.filter(subject__startswith="[Ticket").count() == 0  # no per-ticket reply email


def test_resolving_closes_every_ticket_emails_each_once_and_leaves_known_issues(
    make_tickets, technician, client, smtp_server, django_capture_on_commit_callbacks
):
    tickets = make_tickets(3)
    outage = declare(technician, tickets)
    outage_person_add(outage=outage, email="pat@northpanolaschools.org")
    with django_capture_on_commit_callbacks(execute=True):
        outage_resolve(acting_user=technician, outage=outage, resolution="The fiber line is repaired.")
    messages = by_recipient(smtp_server.wait_for(4))
    assert len(messages) == 4 and all(len(sent) == 1 for sent in messages.values())
    assert "The fiber line is repaired." in messages["pat@northpanolaschools.org"][0].get_body(("plain",)).get_content()
    assert all(
        ticket.status == Ticket.Status.CLOSED for ticket in Ticket.objects.filter(pk__in=[t.pk for t in tickets])
    )
    assert OutboundEmail.objects.count() == 3 + 4  # the declaring emails and the resolved ones; no closing email
    assert "Known issues" not in client.get("/").content.decode()
    assert "Known issues" not in client.get(SUBMIT_URL).content.decode()


def test_the_outage_page_posts_updates_and_resolves(make_tickets, technician, tech_client):
    outage = declare(technician, make_tickets(2))
    page = tech_client.get(outage.get_absolute_url()).content.decode()
    assert "Post update" in page and "Resolve outage" in page and "#7001" in page
    response = tech_client.post(f"/outages/{outage.public_id}/update/", {"body": "Still working on it."})
    assert response.status_code == 302
    response = tech_client.post(f"/outages/{outage.public_id}/resolve/", {"resolution": "Fixed."})
    assert response.status_code == 302
    outage.refresh_from_db()
    assert not outage.is_open and outage.updates.get().body == "Still working on it."
    response = tech_client.post(f"/outages/{outage.public_id}/resolve/", {"resolution": "Fixed again."})
    assert response.status_code == 302
    assert OutboundEmail.objects.filter(subject__startswith="Fixed:").count() == 2  # once per requester


def test_outage_pages_are_for_technicians_only(make_tickets, technician, client):
    outage = declare(technician, make_tickets(1))
    for path in (outage.get_absolute_url(), "/outages/", "/outages/declare/", "/outages/ticket/7001/"):
        assert client.get(path).status_code == 302, path  # to the login page
    assert client.post(f"/outages/{outage.public_id}/resolve/", {"resolution": "x"}).status_code == 302
    assert Outage.objects.get().is_open


def test_the_ticket_page_offers_declare_outage(make_tickets, tech_client):
    make_tickets(1)
    page = tech_client.get("/queue/7001/").content.decode()
    assert 'href="/outages/declare/?ticket=7001"' in page
    form = tech_client.get("/outages/declare/?ticket=7001").content.decode()
    assert "#7001 No internet in room 1" in form


def test_the_queue_can_hide_linked_tickets_behind_their_outage(make_tickets, technician, tech_client):
    tickets = make_tickets(3)
    declare(technician, tickets[:2])
    shown = tech_client.get("/queue/").content.decode()
    assert all(f">#{n}</a>" in shown for n in (7001, 7002, 7003)) and "Tickets in an outage" in shown
    hidden = tech_client.get("/queue/", {"hide_in_outage": "hide"}).content.decode()
    assert f">#{7003}</a>" in hidden and ">#7001</a>" not in hidden and ">#7002</a>" not in hidden
    assert "Internet down at Green Hill</a>: 2 open linked tickets hidden here." in hidden


def test_the_outages_report(make_tickets, technician, tech_client):
    tickets = make_tickets(2)
    outage = declare(technician, tickets)
    outage_person_add(outage=outage, email="pat@northpanolaschools.org")
    outage_update_post(acting_user=technician, outage=outage, body="On it.")
    outage_resolve(acting_user=technician, outage=outage, resolution="Fixed.")
    page = tech_client.get("/outages/reports/").content.decode()
    assert "Internet down at Green Hill" in page and "Green Hill Elementary School" in page
    assert "<td>2</td>\n      <td>1</td>" in page  # two linked tickets, one affected person
    assert "Tickets linked to an outage</th><td>2</td>" in page and "Ordinary tickets</th><td>0</td>" in page
    assert 'href="/outages/reports/"' in tech_client.get("/reports/").content.decode()


def test_admins_list_and_search_outages(make_tickets, technician, admin_client):
    declare(technician, make_tickets(1))
    declare(technician, [], title="Phones down at Pope")
    content = admin_client.get("/admin/outages/outage/", {"q": "Internet"}).content.decode()
    assert "Internet down at Green Hill" in content and "Phones down at Pope" not in content
    assert admin_client.get("/admin/outages/outageemailwording/").status_code == 200
    assert admin_client.get("/admin/outages/possibleoutage/").status_code == 200


def test_the_email_wording_is_admin_data(make_tickets, technician):
    from outages.models import OutageEmailWording

    OutageEmailWording.objects.filter(kind="declared").update(
        subject="Known problem: {title}", opening="We are on it.", closing="Sit tight."
    )
    tickets = make_tickets(1)
    declare(technician, tickets)
    email = OutboundEmail.objects.get(to=tickets[0].requester_email)
    assert email.subject == "Known problem: Internet down at Green Hill"
    assert "We are on it." in email.body_text and "Sit tight." in email.body_text


def test_my_problem_is_different_is_carried_through_the_duplicate_step(
    make_tickets, technician, client, green_hill, internet
):
    outage = declare(technician, make_tickets(1))
    TicketFactory(number=7200, requester_email="pat@northpanolaschools.org", subject="Printer jams")
    answer = f"different:{outage.public_id}"
    content = client.post(SUBMIT_URL, submission(green_hill, internet, outage_choice=answer)).content.decode()
    assert "Submit a new ticket anyway" in content  # the duplicate step, after the outage step
    assert f'<input type="hidden" name="outage_choice" value="{answer}">' in content
    response = client.post(SUBMIT_URL, submission(green_hill, internet, outage_choice=answer, duplicate_choice="new"))
    assert response.status_code == 302
    assert Ticket.objects.filter(requester_email="pat@northpanolaschools.org").count() == 2


def test_tickets_that_arrive_later_are_linked_from_the_outage_page(make_tickets, technician, tech_client):
    outage = declare(technician, make_tickets(1))
    later = make_tickets(1, start=7050)[0]
    page = tech_client.get(outage.get_absolute_url()).content.decode()
    assert "Link more tickets" in page and "#7050 No internet in room 1" in page
    response = tech_client.post(f"/outages/{outage.public_id}/link/", {"tickets": [later.pk]})
    assert response.status_code == 302
    assert OutageTicket.objects.filter(outage=outage).count() == 2
    assert OutboundEmail.objects.filter(to=later.requester_email).count() == 1
    assert "Link more tickets" not in tech_client.get(outage.get_absolute_url()).content.decode()  # none left


def test_linking_to_a_resolved_outage_links_nothing_and_says_so(make_tickets, technician, tech_client):
    outage = declare(technician, make_tickets(1))
    later = make_tickets(1, start=7050)[0]
    outage_resolve(acting_user=technician, outage=outage, resolution="Fixed.")  # after the page was sent
    response = tech_client.post(f"/outages/{outage.public_id}/link/", {"tickets": [later.pk]}, follow=True)
    assert response.redirect_chain == [(outage.get_absolute_url(), 302)]
    assert "This outage is already resolved." in response.content.decode()
    assert OutageTicket.objects.filter(outage=outage).count() == 1
    assert not OutboundEmail.objects.filter(to=later.requester_email).exists()
    assert not later.events.filter(field_name="Outage").exists()


def test_linking_while_a_colleague_resolves_links_nothing_and_says_so(
    make_tickets, technician, tech_client, monkeypatch
):
    """The page's check passed (the outage was open), then a colleague resolved it before the link was written."""
    outage = declare(technician, make_tickets(1))
    later = make_tickets(1, start=7050)[0]
    open_candidates = views._link_candidates

    def candidates_then_resolved(found):
        candidates = open_candidates(found)
        if found.is_open:
            outage_resolve(acting_user=technician, outage=found, resolution="Fixed.")
        return candidates

    monkeypatch.setattr(views, "_link_candidates", candidates_then_resolved)
    response = tech_client.post(f"/outages/{outage.public_id}/link/", {"tickets": [later.pk]}, follow=True)
    assert response.redirect_chain == [(outage.get_absolute_url(), 302)]
    assert "This outage is already resolved." in response.content.decode()
    assert OutageTicket.objects.filter(outage=outage).count() == 1
    assert not OutboundEmail.objects.filter(to=later.requester_email).exists()
    later.refresh_from_db()
    assert later.is_open and not later.events.filter(field_name="Outage").exists()


def test_declaring_from_a_ticket_keeps_its_candidates_on_post(make_tickets, tech_client, internet):
    ticket, alike = make_tickets(2)
    unrelated = TicketFactory(number=7300, subject="Printer jams", school=SchoolFactory(name="Pope Elementary"))
    form = tech_client.get("/outages/declare/?ticket=7001").content.decode()
    assert "#7002 No internet in room 2" in form and "Printer jams" not in form
    carried = dict(re.findall(r'<input type="hidden" name="(ticket|detection)" value="([^"]*)"', form))
    assert carried == {"ticket": "7001"}  # what the browser posts back (detection is empty, so has no value)
    fields = {"title": ticket.subject, "schools": [ticket.school_id], "ticket_type": internet.pk, **carried}
    invalid = tech_client.post("/outages/declare/", {**fields, "tickets": [ticket.pk]})  # no message to staff
    content = invalid.content.decode()
    assert invalid.status_code == 200 and "Please correct the form" in content
    assert "#7001 No internet in room 1" in content and "#7002 No internet in room 2" in content
    assert "Printer jams" not in content and f'name="tickets" value="{unrelated.pk}"' not in content
    assert '<input type="hidden" name="ticket" value="7001"' in content
    response = tech_client.post("/outages/declare/", {**fields, "message": "The fiber is cut.", "tickets": [ticket.pk]})
    outage = Outage.objects.get()
    assert response.status_code == 302 and response["Location"] == outage.get_absolute_url()
    assert list(OutageTicket.objects.values_list("ticket_id", flat=True)) == [ticket.pk]
    assert not OutageTicket.objects.filter(ticket__in=[alike, unrelated]).exists()


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        ("2024-01-01", "9999-12-31", "Please choose a range of two years or less."),
        ("2024-01-01", "2026-02-01", "Please choose a range of two years or less."),
        ("9999-01-01", "9999-12-31", "Please choose dates before the year 9999."),
        ("2026-02-01", "2026-01-01", "The From date must be on or before the To date."),
    ],
)
def test_the_outages_report_refuses_a_range_it_cannot_show_politely(tech_client, start, end, error):
    response = tech_client.get("/outages/reports/", {"start": start, "end": end})
    content = response.content.decode()
    assert response.status_code == 200 and error in content and 'role="alert"' in content
    assert "Outages started in the range" in content  # the default range is shown instead


def test_the_outages_report_takes_two_years(make_tickets, technician, tech_client):
    declare(technician, make_tickets(1))
    today = timezone.localdate()
    assert OutageReportRangeForm.MAX_DAYS == ReportRangeForm.MAX_DAYS  # the same two years as the tickets reports
    start = today - timedelta(days=OutageReportRangeForm.MAX_DAYS)
    content = tech_client.get("/outages/reports/", {"start": start, "end": today}).content.decode()
    assert 'role="alert"' not in content and "Internet down at Green Hill" in content
