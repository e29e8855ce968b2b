import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from district.attachments import check_uploads
from tests.composer import composer_post
from tests.factories import SchoolFactory, TechnicianFactory, TicketFactory, UserFactory
from tests.files import pdf_bytes, upload
from tickets.models import Ticket, TicketEvent
from tickets.services import ticket_create, ticket_reply, ticket_search_refresh, ticket_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket_with_file(district_defaults):
    files, _ = check_uploads([upload("manual.pdf", pdf_bytes())], max_files=5, max_bytes=10**7, total_max_bytes=10**8)
    return ticket_create(
        requester_email="pat@northpanolaschools.org",
        subject="Projector",
        school=SchoolFactory(),
        classroom="3",
        description="Blue screen on the projector.",
        attachments=files,
    )


def workspace_urls(ticket):
    attachment = ticket.attachments.get()
    return {
        "get": [
            reverse("tickets:queue"),
            reverse("tickets:queue_export"),
            reverse("tickets:detail", args=[ticket.number]),
            reverse("tickets:attachment", args=[ticket.number, attachment.pk]),
            reverse("tickets:reports"),
        ],
        "post": [
            reverse("tickets:compose", args=[ticket.number]),
            reverse("tickets:update", args=[ticket.number]),
            reverse("tickets:take", args=[ticket.number]),
            reverse("tickets:close", args=[ticket.number]),
            reverse("tickets:merge", args=[ticket.number]),
            reverse("tickets:queue_bulk"),
        ],
    }


def test_anonymous_visitors_are_sent_to_log_in(client, ticket_with_file):
    urls = workspace_urls(ticket_with_file)
    for url in urls["get"] + urls["post"]:
        response = client.post(url) if url in urls["post"] else client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), url
    assert Ticket.objects.get().events.count() == 0


@pytest.mark.parametrize("who", ["requester", "staff_not_technician"])
def test_logged_in_non_technicians_are_refused(client, ticket_with_file, who):
    user = UserFactory(username="pat", email="pat@northpanolaschools.org", is_staff=(who == "staff_not_technician"))
    client.force_login(user)
    urls = workspace_urls(ticket_with_file)
    for url in urls["get"] + urls["post"]:
        response = client.post(url, {"body": "x"}) if url in urls["post"] else client.get(url)
        assert response.status_code == 403, url
    assert "submit a ticket" in client.get(reverse("tickets:queue")).content.decode()
    assert Ticket.objects.get().events.count() == 0


@pytest.mark.parametrize("who", ["technician", "superuser"])
def test_technicians_and_admins_reach_every_page(client, ticket_with_file, who):
    user = TechnicianFactory() if who == "technician" else UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    for url in workspace_urls(ticket_with_file)["get"]:
        assert client.get(url).status_code == 200, url


def test_unknown_ticket_and_another_tickets_attachment_are_404(tech_client, ticket_with_file):
    other = TicketFactory()
    attachment = ticket_with_file.attachments.get()
    assert tech_client.get(reverse("tickets:detail", args=[99999])).status_code == 404
    assert tech_client.get(reverse("tickets:attachment", args=[other.number, attachment.pk])).status_code == 404


def test_attachment_downloads_with_its_name_and_detected_type(tech_client, ticket_with_file):
    attachment = ticket_with_file.attachments.get()
    response = tech_client.get(reverse("tickets:attachment", args=[ticket_with_file.number, attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="manual.pdf"'
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_login_page_lets_a_technician_in(client, technician):
    response = client.post(
        "/accounts/login/?next=/queue/",
        {"username": "casey", "password": "correct horse battery staple", "next": "/queue/"},
    )
    assert response.status_code == 302 and response["Location"] == "/queue/"


def test_reply_note_update_close_from_the_ticket_page(
    tech_client, technician, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = TicketFactory(number=4100)
    url = reverse("tickets:detail", args=[4100])
    with django_capture_on_commit_callbacks(execute=True):
        reply = composer_post(ticket, body="On my way")
        assert tech_client.post(reverse("tickets:compose", args=[4100]), reply)["Location"] == url
        tech_client.post(reverse("tickets:compose", args=[4100]), composer_post(ticket, body="Fuser worn", kind="note"))
        tech_client.post(
            reverse("tickets:update", args=[4100]),
            {
                "status": "waiting",
                "priority": "3",
                "school": ticket.school_id,
                "ticket_type": ticket.ticket_type_id,
                "assignee": technician.pk,
                "version": 2,
            },
        )
        tech_client.post(reverse("tickets:close", args=[4100]), {"resolution": "Replaced fuser", "version": 3})

    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee) == (Ticket.Status.CLOSED, 3, technician)
    # The reply took the ticket (In progress, assigned to the one who replied): the update then changed the rest.
    kinds = list(ticket.events.order_by("created_at", "pk").values_list("kind", "field_name"))
    assert kinds == [
        ("reply", ""),
        ("change", "Status"),
        ("change", "Assignee"),
        ("note", ""),
        ("change", "Status"),
        ("change", "Priority"),
        ("closed", "Status"),
    ]
    assert [m.subject.split("]")[0] for m in mailoutbox] == ["[Ticket #4100", "[Ticket #4100"]
    page = tech_client.get(url).content.decode()
    assert "Fuser worn" in page and "not emailed" in page and "Replaced fuser" in page


def test_stale_update_warns_instead_of_overwriting(tech_client, technician):
    ticket = TicketFactory(number=4200, priority=1)
    ticket_update(
        acting_user=TechnicianFactory(username="robin"), ticket=ticket, expected_version=1, changes={"priority": 4}
    )
    response = tech_client.post(
        reverse("tickets:update", args=[4200]),
        {"status": "open", "priority": "2", "school": ticket.school_id, "assignee": "", "version": 1},
    )
    assert response.status_code == 409
    assert "Another technician changed this ticket after you opened it" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.priority == 4


def test_empty_reply_is_refused_with_a_message(tech_client):
    ticket = TicketFactory(number=4300)
    response = tech_client.post(reverse("tickets:compose", args=[4300]), composer_post(ticket, body="  "))
    assert response.status_code == 400
    assert "Please write a reply or a note, or change the status or the assignee" in response.content.decode()


def test_merge_by_searching_the_target_then_confirming(tech_client):
    TicketFactory(number=4400, subject="Projector in room 12 dead", requester_email="alex@northpanolaschools.org")
    TicketFactory(number=4401, subject="Room 12 projector will not start")
    TicketFactory(number=4402, subject="Printer offline")
    ticket_search_refresh(ticket_ids=None)  # as saving through the services does
    page = tech_client.get(reverse("tickets:detail", args=[4400]), {"merge_q": "projector"}).content.decode()
    assert "Merge into #4401…" in page and "Merge into #4402" not in page and "Merge into #4400" not in page
    by_number = tech_client.get(reverse("tickets:detail", args=[4400]), {"merge_q": "#4402"}).content.decode()
    assert "Merge into #4402…" in by_number
    nothing = tech_client.get(reverse("tickets:detail", args=[4400]), {"merge_q": "zebra"}).content.decode()
    assert "No open ticket matches “zebra”." in nothing

    # The first press only asks: nothing is merged until the technician confirms, seeing both tickets.
    confirm = tech_client.post(reverse("tickets:merge", args=[4400]), {"target_number": "4401"})
    text = confirm.content.decode()
    assert confirm.status_code == 200 and Ticket.objects.get(number=4400).merged_into is None
    assert "Merge ticket #4400 into #4401?" in text and "Room 12 projector will not start" in text
    assert "alex@northpanolaschools.org is emailed" in text
    done = tech_client.post(reverse("tickets:merge", args=[4400]), {"target_number": "4401", "confirm": "yes"})
    assert done["Location"] == reverse("tickets:detail", args=[4401])
    assert Ticket.objects.get(number=4400).merged_into.number == 4401
    response = tech_client.post(reverse("tickets:merge", args=[4401]), {"target_number": "9999"})
    assert "There is no ticket #9999" in response.content.decode()


def test_canned_response_fills_the_reply(tech_client):
    from tickets.models import CannedResponse

    TicketFactory(number=4500)
    canned = CannedResponse.objects.get(title="SAM questions")
    page = tech_client.get(reverse("tickets:detail", args=[4500]), {"canned": canned.pk}).content.decode()
    assert "Towanda Mangrum" in page.split('name="body"')[1].split("</textarea>")[0]


def test_queue_filters_combine_and_stay_in_links(tech_client, technician):
    green, crenshaw = SchoolFactory(), SchoolFactory(name="Crenshaw Elementary School")
    TicketFactory(number=5001, school=green, priority=4, assignee=technician)
    TicketFactory(number=5002, school=green, priority=1)
    TicketFactory(number=5003, school=crenshaw, priority=4)
    TicketFactory(number=5004, school=green, priority=4, status=Ticket.Status.CLOSED)

    def numbers(**params):
        content = tech_client.get(reverse("tickets:queue"), params).content.decode()
        return [n for n in (5001, 5002, 5003, 5004) if f">#{n}</a>" in content]

    assert numbers() == [5001, 5002, 5003]
    assert numbers(school=green.pk) == [5001, 5002]
    assert numbers(school=green.pk, priority=4) == [5001]
    assert numbers(assignee="unassigned") == [5002, 5003]
    assert numbers(assignee="me") == [5001]
    assert numbers(status="closed") == [5004]
    assert numbers(status="all", school=green.pk, priority=4) == [5001, 5004]


def test_queue_sorts_by_priority_then_age(tech_client):
    now = timezone.now()
    TicketFactory(number=6001, priority=1, created_at=now - timedelta(days=3))
    TicketFactory(number=6002, priority=4, created_at=now - timedelta(days=1))
    TicketFactory(number=6003, priority=4, created_at=now - timedelta(days=2))
    content = tech_client.get(reverse("tickets:queue")).content.decode()
    assert content.index("#6003") < content.index("#6002") < content.index("#6001")
    content = tech_client.get(reverse("tickets:queue"), {"sort": "age"}).content.decode()
    assert content.index("#6001") < content.index("#6003") < content.index("#6002")


def test_queue_last_page_holds_the_last_tickets(tech_client):
    now = timezone.now()
    for n in range(120):
        TicketFactory(number=7000 + n, priority=1, created_at=now - timedelta(minutes=1000 - n))
    content = tech_client.get(reverse("tickets:queue"), {"sort": "age", "page": 3}).content.decode()
    shown = [n for n in range(7000, 7120) if f">#{n}</a>" in content]
    assert shown == list(range(7100, 7120))
    assert "Page 3 of 3" in content
    middle = tech_client.get(reverse("tickets:queue"), {"sort": "age", "page": 2}).content.decode()
    assert [n for n in range(7000, 7120) if f">#{n}</a>" in middle] == list(range(7050, 7100))


def test_bulk_assign_and_close(tech_client, technician, mailoutbox, django_capture_on_commit_callbacks):
    a, b = TicketFactory(number=1201), TicketFactory(number=1202)
    closed = TicketFactory(number=1203, status=Ticket.Status.CLOSED)
    response = tech_client.post(
        reverse("tickets:queue_bulk"), {"tickets": [a.pk, b.pk], "action": "assign_me", "return_query": "school=1"}
    )
    assert response["Location"] == "/queue/?school=1"
    assert set(Ticket.objects.filter(pk__in=[a.pk, b.pk]).values_list("assignee", flat=True)) == {technician.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = tech_client.post(
            reverse("tickets:queue_bulk"),
            {"tickets": [a.pk, b.pk, closed.pk], "action": "close", "message": "Fixed"},
            follow=True,
        )
    assert Ticket.objects.filter(status=Ticket.Status.CLOSED).count() == 3 and len(mailoutbox) == 2
    assert "Closed #1201 and #1202. #1203 was already closed. Each requester was emailed your message." in (
        response.content.decode()
    )
    response = tech_client.post(
        reverse("tickets:queue_bulk"), {"tickets": [closed.pk], "action": "priority", "priority": "3"}, follow=True
    )
    assert "Set to High priority: #1203." in response.content.decode()


def test_bulk_action_without_its_value_explains(tech_client):
    ticket = TicketFactory()
    response = tech_client.post(reverse("tickets:queue_bulk"), {"tickets": [ticket.pk], "action": "close"}, follow=True)
    assert "Please choose the closing message for this action." in response.content.decode()
    response = tech_client.post(reverse("tickets:queue_bulk"), {"action": "assign_me"}, follow=True)
    assert "Please tick at least one ticket first." in response.content.decode()


def test_csv_export_follows_filters_and_defuses_formulas(tech_client):
    green = SchoolFactory()
    TicketFactory(number=8001, school=green, subject='=HYPERLINK("http://evil")')
    TicketFactory(number=8002, school=SchoolFactory(name="District Office"))
    response = tech_client.get(reverse("tickets:queue_export"), {"school": green.pk})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Ticket", "Subject", "Requester"]
    assert [row[0] for row in rows[1:]] == ["8001"]
    assert rows[1][1].startswith("'=HYPERLINK")


def test_reports_show_counts_for_the_range(tech_client, technician):
    ticket = TicketFactory(created_at=timezone.now() - timedelta(days=2))
    ticket_reply(acting_user=technician, ticket=ticket, body="Hi")
    TicketFactory(status=Ticket.Status.CLOSED, closed_at=timezone.now())
    response = tech_client.get(reverse("tickets:reports"))
    content = response.content.decode()
    assert response.context["backlog_by_school"] == [{"name": "Green Hill Elementary School", "count": 1}]
    assert sum(row["opened"] for row in response.context["weekly"]) == 2
    assert sum(row["closed"] for row in response.context["weekly"]) == 1
    by_school = response.context["durations_tables"][0][1]
    assert by_school[0]["first_reply"] >= timedelta(days=2) - timedelta(minutes=1)
    assert "Open tickets by school" in content and 'id="report-data"' in content
    bad = tech_client.get(reverse("tickets:reports"), {"start": "2026-05-01", "end": "2026-01-01"}).content.decode()
    assert "The From date must be on or before the To date." in bad


def test_ticket_events_escape_what_people_typed(tech_client, technician):
    ticket = TicketFactory(number=8100, subject="<script>alert(1)</script>")
    TicketEvent.objects.create(ticket=ticket, kind="note", author=technician, body="<img src=x onerror=alert(1)>")
    content = tech_client.get(reverse("tickets:detail", args=[8100])).content.decode()
    assert "<script>alert(1)</script>" not in content and "&lt;img src=x" in content


def test_testing_tickets_go_first_during_a_window(tech_client):
    from tests.factories import TicketTypeFactory
    from tests.routing.factories import WindowFactory

    testing = TicketTypeFactory(name="Testing")
    testing.is_about_testing = True
    testing.save()
    TicketFactory(number=8201, priority=4)
    TicketFactory(number=8202, priority=1, ticket_type=testing)

    before = tech_client.get(reverse("tickets:queue")).content.decode()
    assert before.index("#8201") < before.index("#8202")

    WindowFactory(starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=5))
    during = tech_client.get(reverse("tickets:queue")).content.decode()
    assert during.index("#8202") < during.index("#8201")


def test_ticket_page_shows_routing_note_and_overridden_rule(tech_client):
    from tests.routing.factories import RoutingRuleFactory

    rule = RoutingRuleFactory(name="SAM questions")
    TicketFactory(number=8301, routing_note="Internet outage reported: check the core switch.", overridden_rule=rule)
    content = tech_client.get(reverse("tickets:detail", args=[8301])).content.decode()
    assert "check the core switch" in content and "different</strong> from the rule “SAM questions”" in content


def test_reports_count_deflections_by_rule(tech_client):
    import uuid

    from routing.models import DeflectionLog
    from tests.routing.factories import RoutingRuleFactory

    rule = RoutingRuleFactory(name="SAM questions")
    for outcome in ["shown", "forwarded", "forwarded"]:
        DeflectionLog.objects.create(
            public_id=uuid.uuid4(),
            rule=rule,
            rule_name=rule.name,
            requester_email="a@northpanolaschools.org",
            outcome=outcome,
        )
    response = tech_client.get(reverse("tickets:reports"))
    [row] = response.context["deflections"]
    assert (row["rule"], row["total"]) == ("SAM questions", 3)
    assert "Had it sent to the contact: 2" in row["outcomes"]


def test_queue_rows_link_to_the_ticket_page_and_show_age(tech_client):
    TicketFactory(number=8401, created_at=timezone.now() - timedelta(days=9))
    content = tech_client.get(reverse("tickets:queue")).content.decode()
    assert f'<a href="{reverse("tickets:detail", args=[8401])}">#8401</a>' in content
    assert "9 d" in content and ">old</span>" in content


def test_first_reply_on_an_unassigned_ticket_assigns_it_and_says_so_on_the_timeline(tech_client, technician):
    ticket = TicketFactory(number=4150, status=Ticket.Status.OPEN, assignee=None)
    tech_client.post(
        reverse("tickets:compose", args=[ticket.number]), composer_post(ticket, body="On my way to room 12.")
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (Ticket.Status.IN_PROGRESS, technician)
    changes = ticket.events.filter(kind=TicketEvent.Kind.CHANGE).order_by("pk")
    assert [(e.field_name, e.old_value, e.new_value, e.author) for e in changes] == [
        ("Status", "Open", "In progress", technician),
        ("Assignee", "Unassigned", "Casey Jones", technician),
    ]
    page = tech_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "to <strong>Casey Jones</strong> by the reply" in page


def test_a_reply_leaves_a_colleagues_assignment_alone(tech_client, technician):
    colleague = TechnicianFactory(username="dana", first_name="Dana", last_name="Webb")
    ticket = TicketFactory(number=4160, status=Ticket.Status.IN_PROGRESS, assignee=colleague)
    tech_client.post(
        reverse("tickets:compose", args=[ticket.number]), composer_post(ticket, body="Dana asked me to answer.")
    )
    ticket.refresh_from_db()
    assert ticket.assignee == colleague
    assert not ticket.events.filter(kind=TicketEvent.Kind.CHANGE).exists()


def test_next_ticket_continues_the_queue_the_technician_came_from(tech_client, technician):
    crenshaw, other = SchoolFactory(name="Crenshaw Elementary School"), SchoolFactory(name="Como Elementary School")
    first = TicketFactory(number=4301, school=crenshaw, priority=1)
    second = TicketFactory(number=4302, school=crenshaw, priority=2)
    TicketFactory(number=4303, school=other, priority=1)  # more urgent than second, but not in the queue shown
    tech_client.get(reverse("tickets:queue"), {"school": crenshaw.pk})
    tech_client.post(reverse("tickets:close", args=[first.number]), {"resolution": "Fixed", "version": first.version})
    page = tech_client.get(reverse("tickets:detail", args=[first.number])).content.decode()
    next_url = f"{reverse('tickets:queue_next')}?after={first.number}"
    assert f'href="{next_url}">Next ticket</a>' in page
    assert tech_client.get(next_url)["Location"] == reverse("tickets:detail", args=[second.number])

    tech_client.post(reverse("tickets:close", args=[second.number]), {"resolution": "Fixed", "version": second.version})
    response = tech_client.get(f"{reverse('tickets:queue_next')}?after={second.number}", follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('tickets:queue')}?school={crenshaw.pk}"
    assert "There are no more tickets in this queue." in response.content.decode()


def test_reports_open_with_headline_numbers_and_each_technicians_workload(tech_client, technician):
    dana = TechnicianFactory(username="dana", first_name="Dana", last_name="Webb")
    urgent = TicketFactory(assignee=technician, priority=Ticket.Priority.URGENT)
    TicketFactory(assignee=technician, priority=Ticket.Priority.LOW)
    TicketFactory(assignee=None)
    TicketFactory(assignee=dana, status=Ticket.Status.CLOSED, closed_at=timezone.now())
    TicketFactory(assignee=dana, created_at=timezone.now() - timedelta(days=30))
    ticket_reply(acting_user=technician, ticket=urgent, body="On my way")

    response = tech_client.get(reverse("tickets:reports"))
    headline = response.context["headline"]
    assert (headline["open_now"], headline["opened_this_week"], headline["closed_this_week"]) == (4, 4, 1)
    assert headline["median_first_reply"] < timedelta(minutes=1)
    workload = [
        (row["name"], row["open"], row["urgent"], row["closed_this_week"]) for row in response.context["workload"]
    ]
    assert workload == [("Casey Jones", 2, 1, 0), ("Dana Webb", 1, 0, 1), ("Unassigned", 1, 0, None)]
    content = response.content.decode()
    # The headline comes before the date range's charts and tables.
    assert content.index("Open now") < content.index("Each technician's workload") < content.index("Show</button>")


def test_the_ticket_page_says_when_the_requester_replied_last(tech_client, technician):
    from tickets.services import ticket_requester_reply_add

    ticket = TicketFactory(number=4500)
    url = reverse("tickets:detail", args=[4500])
    assert "Requester replied" not in tech_client.get(url).content.decode()
    ticket_reply(acting_user=technician, ticket=ticket, body="Is it plugged in?")
    ticket_requester_reply_add(ticket=ticket, body="Yes, and it still will not start.")
    assert '<span class="badge fs-6 text-bg-warning">Requester replied</span>' in tech_client.get(url).content.decode()
    ticket_reply(acting_user=technician, ticket=ticket, body="I will come by at noon.")
    assert "Requester replied" not in tech_client.get(url).content.decode()
