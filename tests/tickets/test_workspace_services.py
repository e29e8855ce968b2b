import pytest

from district.attachments import check_uploads
from notifications.models import OutboundEmail
from tests.factories import SchoolFactory, TechnicianFactory, TicketFactory
from tests.files import png_bytes, upload
from tickets.models import Attachment, Ticket, TicketEvent
from tickets.services import (
    TicketChangedError,
    TicketMergeError,
    ticket_close,
    ticket_create,
    ticket_note_add,
    ticket_reply,
    ticket_update,
    tickets_bulk_close,
    tickets_bulk_update,
    tickets_merge,
)

pytestmark = pytest.mark.django_db


def test_ticket_reply_emails_requester_and_records_first_response(
    technician, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = TicketFactory(number=2001, requester_email="pat@northpanolaschools.org")
    with django_capture_on_commit_callbacks(execute=True):
        event = ticket_reply(acting_user=technician, ticket=ticket, body="I will come by at 2 pm.")

    ticket.refresh_from_db()
    assert (event.kind, event.author, event.body) == (TicketEvent.Kind.REPLY, technician, "I will come by at 2 pm.")
    assert ticket.first_response_at is not None and ticket.status == Ticket.Status.IN_PROGRESS
    [message] = mailoutbox
    assert message.to == ["pat@northpanolaschools.org"] and message.subject.startswith("[Ticket #2001]")
    assert "I will come by at 2 pm." in message.body and "Casey Jones replied" in message.body


def test_second_reply_keeps_the_first_response_time(technician):
    ticket = TicketFactory()
    ticket_reply(acting_user=technician, ticket=ticket, body="First")
    ticket.refresh_from_db()
    first = ticket.first_response_at
    ticket_reply(acting_user=technician, ticket=ticket, body="Second")
    ticket.refresh_from_db()
    assert ticket.first_response_at == first


def test_ticket_note_is_never_emailed(technician, mailoutbox, django_capture_on_commit_callbacks):
    ticket = TicketFactory()
    with django_capture_on_commit_callbacks(execute=True):
        event = ticket_note_add(acting_user=technician, ticket=ticket, body="Needs a new fuser.")
    assert event.kind == TicketEvent.Kind.NOTE and not event.is_public
    assert mailoutbox == [] and OutboundEmail.objects.count() == 0


def test_ticket_update_records_each_change(technician):
    ticket = TicketFactory(priority=Ticket.Priority.LOW)
    other_school = SchoolFactory(name="Crenshaw Elementary School")
    events = ticket_update(
        acting_user=technician,
        ticket=ticket,
        expected_version=ticket.version,
        changes={"priority": Ticket.Priority.URGENT, "assignee": technician, "school": other_school, "status": "open"},
    )
    assert [(e.field_name, e.old_value, e.new_value) for e in events] == [
        ("Priority", "Low", "Urgent"),
        ("Assignee", "Unassigned", "Casey Jones"),
        ("School", "Green Hill Elementary School", "Crenshaw Elementary School"),
    ]
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.assignee, ticket.school, ticket.version) == (4, technician, other_school, 2)


def test_ticket_update_refuses_a_stale_form(technician):
    """When someone saved after the form was opened, nothing is overwritten."""
    ticket = TicketFactory()
    opened_version = ticket.version
    ticket_update(acting_user=technician, ticket=ticket, expected_version=opened_version, changes={"priority": 3})
    with pytest.raises(TicketChangedError):
        ticket_update(acting_user=technician, ticket=ticket, expected_version=opened_version, changes={"priority": 1})
    ticket.refresh_from_db()
    assert ticket.priority == 3


def test_ticket_update_to_resolved_sets_closed_at(technician):
    ticket = TicketFactory()
    ticket_update(acting_user=technician, ticket=ticket, expected_version=None, changes={"status": "resolved"})
    ticket.refresh_from_db()
    assert ticket.closed_at is not None


def test_ticket_close_emails_the_resolution(technician, mailoutbox, django_capture_on_commit_callbacks):
    ticket = TicketFactory(number=2002)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_close(acting_user=technician, ticket=ticket, resolution="Replaced the toner.", expected_version=1)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED and ticket.closed_at is not None
    [message] = mailoutbox
    assert message.subject.startswith("[Ticket #2002] Closed:")
    assert "Replaced the toner." in message.body and "There is no need to reply" in message.body


def test_ticket_close_refuses_a_stale_form(technician):
    ticket = TicketFactory()
    ticket_update(acting_user=technician, ticket=ticket, expected_version=1, changes={"priority": 4})
    with pytest.raises(TicketChangedError):
        ticket_close(acting_user=technician, ticket=ticket, resolution="Done", expected_version=1)


def test_tickets_merge_moves_replies_and_files_and_tells_the_requester(
    technician, mailoutbox, django_capture_on_commit_callbacks
):
    target = TicketFactory(number=3001)
    files, _ = check_uploads([upload("error.png", png_bytes())], max_files=5, max_bytes=10**7, total_max_bytes=10**8)
    source = ticket_create(
        requester_email="lee@northpanolaschools.org",
        subject="Same printer",
        school=target.school,
        classroom="12",
        description="Printer still jammed in room 12.",
        attachments=files,
    )
    ticket_reply(acting_user=technician, ticket=source, body="Looking into it")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        tickets_merge(acting_user=technician, source=source, target=target)

    source.refresh_from_db()
    assert (source.status, source.merged_into) == (Ticket.Status.CLOSED, target)
    assert Attachment.objects.get().ticket == target
    # Another requester's conversation moves as technicians' notes, never shown to the target's requester.
    assert target.events.filter(
        kind=TicketEvent.Kind.NOTE, body=f"From #{source.number} (reply to requester): Looking into it"
    ).exists()
    assert not target.events.filter(kind=TicketEvent.Kind.REPLY).exists()
    assert target.events.filter(kind=TicketEvent.Kind.NOTE, body__contains="Printer still jammed").exists()
    [message] = mailoutbox
    assert message.to == ["lee@northpanolaschools.org"]
    assert "follow ticket #3001" in message.body.replace("\n", " ")


@pytest.mark.parametrize("case", ["self", "already_merged", "target_merged"])
def test_tickets_merge_refuses_impossible_merges(technician, case):
    source, target, elsewhere = TicketFactory(), TicketFactory(), TicketFactory()
    if case == "already_merged":
        tickets_merge(acting_user=technician, source=source, target=elsewhere)
    if case == "target_merged":
        tickets_merge(acting_user=technician, source=target, target=elsewhere)
    with pytest.raises(TicketMergeError):
        tickets_merge(acting_user=technician, source=source, target=source if case == "self" else target)


def test_bulk_update_and_close(technician, mailoutbox, django_capture_on_commit_callbacks):
    tickets = [TicketFactory() for _ in range(3)]
    other = TechnicianFactory(username="robin")
    ids = [ticket.pk for ticket in tickets]
    outcome = tickets_bulk_update(acting_user=technician, ticket_ids=ids, changes={"assignee": other})
    assert outcome.changed == sorted(ticket.number for ticket in tickets) and outcome.skipped == {}
    assert set(Ticket.objects.values_list("assignee__username", flat=True)) == {"robin"}
    with django_capture_on_commit_callbacks(execute=True):
        outcome = tickets_bulk_close(acting_user=technician, ticket_ids=ids[:2], resolution="Network restored.")
    assert outcome.changed == sorted(ticket.number for ticket in tickets[:2])
    assert Ticket.objects.filter(status=Ticket.Status.CLOSED).count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(t.requester_email for t in tickets[:2])
    assert all("Network restored." in m.body for m in mailoutbox)


def test_bulk_actions_say_which_tickets_were_left_alone_and_why(technician, django_capture_on_commit_callbacks):
    robin = TechnicianFactory(username="robin", first_name="Robin", last_name="Hale")
    first = TicketFactory(number=1201)
    second = TicketFactory(number=1202, assignee=robin)
    closed = TicketFactory(number=1203, status=Ticket.Status.CLOSED)
    ids = [first.pk, second.pk, closed.pk]

    outcome = tickets_bulk_update(acting_user=technician, ticket_ids=ids[:2], changes={"assignee": robin})
    assert outcome.changed == [1201] and outcome.skipped == {1202: "already assigned to Robin Hale"}
    assert outcome.summary(done="Assigned to Robin Hale:") == (
        "Assigned to Robin Hale: #1201. #1202 was already assigned to Robin Hale."
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = tickets_bulk_close(acting_user=technician, ticket_ids=ids, resolution="Network restored.")
    assert outcome.summary(done="Closed") == "Closed #1201 and #1202. #1203 was already closed."
    again = tickets_bulk_close(acting_user=technician, ticket_ids=ids, resolution="Network restored.")
    assert again.summary(done="Closed") == "No ticket was changed. #1201, #1202 and #1203 were already closed."


def test_merging_the_same_requesters_tickets_keeps_replies_public(technician):
    from tickets.services import ticket_requester_reply_add

    target = TicketFactory(requester_email="pat@northpanolaschools.org")
    source = TicketFactory(requester_email="pat@northpanolaschools.org")
    ticket_reply(acting_user=technician, ticket=source, body="Try restarting")
    ticket_requester_reply_add(ticket=source, body="Restarted, still broken")
    tickets_merge(acting_user=technician, source=source, target=target)
    kinds = set(target.events.values_list("kind", "body"))
    assert ("reply", "Try restarting") in kinds and ("requester", "Restarted, still broken") in kinds


def test_requester_reply_bumps_the_version_so_stale_forms_warn(technician):
    from tickets.services import ticket_requester_reply_add

    ticket = TicketFactory()
    ticket_update(acting_user=technician, ticket=ticket, expected_version=1, changes={"status": "waiting"})
    opened_version = Ticket.objects.get(pk=ticket.pk).version
    ticket_requester_reply_add(ticket=ticket, body="Here is the model number")
    with pytest.raises(TicketChangedError):
        ticket_update(
            acting_user=technician, ticket=ticket, expected_version=opened_version, changes={"status": "waiting"}
        )


def test_closing_twice_sends_one_email(technician, mailoutbox, django_capture_on_commit_callbacks):
    ticket = TicketFactory()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_close(acting_user=technician, ticket=ticket, resolution="Done")
        with pytest.raises(TicketChangedError):
            ticket_close(acting_user=technician, ticket=ticket, resolution="Done again")
    assert len(mailoutbox) == 1
