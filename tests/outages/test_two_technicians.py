"""Two technicians acting on the same outage at the same moment: one wins, and nobody is emailed twice."""

import threading

import pytest
from django.db import connection

from notifications.models import OutboundEmail
from outages.models import Outage, OutageTicket, PossibleOutage
from outages.services import OutageError, outage_declare, outage_resolve, outage_tickets_link
from tests.factories import TechnicianFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("outage_wording")]


def at_once(*actions) -> list:
    """Run the actions in threads released together; return each one's result or exception."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # noqa: BLE001  the losing side's refusal is the result
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_technicians_declaring_the_same_notice_make_one_outage_and_one_email_each(make_tickets):
    tickets = make_tickets(3)
    detection = PossibleOutage.objects.get()
    casey, jordan = TechnicianFactory(username="casey"), TechnicianFactory(username="jordan")

    def declare(user):
        return lambda: outage_declare(
            acting_user=user,
            title=f"Internet down ({user.username})",
            message="We are on it.",
            schools=[tickets[0].school],
            is_district_wide=False,
            ticket_type=tickets[0].ticket_type,
            ticket_ids=[ticket.pk for ticket in tickets],
            detection_id=detection.pk,
        )

    results = at_once(declare(casey), declare(jordan))
    assert sorted(type(result).__name__ for result in results) == ["Outage", "OutageError"]
    assert Outage.objects.count() == 1
    assert OutageTicket.objects.count() == 3
    assert OutboundEmail.objects.count() == 3
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == sorted(t.requester_email for t in tickets)


def test_two_technicians_linking_the_same_tickets_link_each_once(make_tickets):
    tickets = make_tickets(3)
    casey, jordan = TechnicianFactory(username="casey"), TechnicianFactory(username="jordan")

    def declare(user):
        return lambda: outage_declare(
            acting_user=user,
            title=f"Internet down ({user.username})",
            message="We are on it.",
            schools=[tickets[0].school],
            is_district_wide=False,
            ticket_ids=[ticket.pk for ticket in tickets],
        )

    results = at_once(declare(casey), declare(jordan))
    assert [type(result) for result in results] == [Outage, Outage]  # neither fails: the second links none
    assert OutageTicket.objects.count() == 3
    assert OutboundEmail.objects.count() == 3  # the second outage found them linked already: nobody twice


def test_two_technicians_resolving_at_once_send_one_resolved_email_each(make_tickets):
    tickets = make_tickets(3)
    casey, jordan = TechnicianFactory(username="casey"), TechnicianFactory(username="jordan")
    outage = outage_declare(
        acting_user=casey,
        title="Internet down",
        message="We are on it.",
        schools=[tickets[0].school],
        is_district_wide=False,
        ticket_ids=[ticket.pk for ticket in tickets],
    )

    results = at_once(
        lambda: outage_resolve(acting_user=casey, outage=outage, resolution="Fixed by Casey."),
        lambda: outage_resolve(acting_user=jordan, outage=outage, resolution="Fixed by Jordan."),
    )
    assert sum(isinstance(result, OutageError) for result in results) == 1
    resolved = OutboundEmail.objects.filter(subject="Fixed: Internet down")
    assert resolved.count() == 3
    assert sorted(resolved.values_list("to", flat=True)) == sorted(t.requester_email for t in tickets)


def test_linking_while_a_colleague_resolves_leaves_no_open_ticket_in_a_resolved_outage(make_tickets):
    first, later = make_tickets(1)[0], make_tickets(1, start=7050)[0]
    casey, jordan = TechnicianFactory(username="casey"), TechnicianFactory(username="jordan")
    outage = outage_declare(
        acting_user=casey,
        title="Internet down",
        message="We are on it.",
        schools=[first.school],
        is_district_wide=False,
        ticket_ids=[first.pk],
    )

    results = at_once(
        lambda: outage_tickets_link(acting_user=casey, outage=outage, ticket_ids=[later.pk]),
        lambda: outage_resolve(acting_user=jordan, outage=outage, resolution="Fixed by Jordan."),
    )
    later.refresh_from_db()
    if isinstance(results[0], OutageError):  # resolved first: nothing linked, nothing sent
        assert not OutageTicket.objects.filter(ticket=later).exists()
        assert not OutboundEmail.objects.filter(to=later.requester_email).exists() and later.is_open
    else:  # linked first: the resolution closed it too, and its requester heard both, in order
        assert OutageTicket.objects.filter(ticket=later).exists() and not later.is_open
        sent = list(OutboundEmail.objects.filter(to=later.requester_email).order_by("pk"))
        assert [email.subject for email in sent] == ["We know about it: Internet down", "Fixed: Internet down"]
