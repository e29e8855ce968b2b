"""The small tables every technician page reads (schools, types, technicians, canned responses), kept in the cache.

Each of them was a query on every page, and a join in the ticket's own query; together they were a large share of
the ticket page's time, though they change a few times a year. They are read here from one cache entry
(helpdesk.kept), which any save or delete of those rows (admin, shell, a test) forgets at once (tickets.signals).

Who may use the technicians' pages is never decided from here: that is asked of the database on every request.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from helpdesk.kept import forget, kept
from tickets.models import CannedResponse, School, TicketType

REFERENCE_KEY = "tickets:reference:v2"
REFERENCE_SECONDS = 60


@dataclass(frozen=True)
class Reference:
    """(pk, name) pairs in the order drop-downs list them, and lookups by pk."""

    schools: list[tuple[int, str]]
    ticket_types: list[tuple[int, str]]
    active_schools: list[tuple[int, str]]  # the ones the public form offers
    active_ticket_types: list[tuple[int, str]]
    technicians: list[tuple[int, str]]  # active technicians, by name: who can be assigned
    canned_responses: list[tuple[int, str, str]]  # (pk, title, body), active ones
    school_names: dict[int, str] = field(default_factory=dict)
    ticket_type_names: dict[int, str] = field(default_factory=dict)
    technician_names: dict[int, str] = field(default_factory=dict)


def person_name(user) -> str:
    """A user's full name, else their username; empty for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def technician_list() -> QuerySet:
    """Active users who can be assigned tickets: superusers and the Technicians group."""
    is_technician = Q(is_superuser=True) | Q(groups__name=settings.HELPDESK_TECHNICIANS_GROUP)
    return User.objects.filter(is_technician, is_active=True).distinct().order_by("first_name", "last_name", "username")


def names_with(names: dict[int, str], user_ids) -> dict[int, str]:
    """`names`, plus the names of any of `user_ids` it lacks (a former technician, say), read in one query."""
    missing = set(user_ids) - names.keys() - {None}
    if not missing:
        return names
    return names | {user.pk: person_name(user) for user in User.objects.filter(pk__in=missing)}


def _build() -> Reference:
    schools = list(School.objects.values_list("pk", "name", "is_active"))
    ticket_types = list(TicketType.objects.values_list("pk", "name", "is_active"))
    users = technician_list().only("first_name", "last_name", "username")
    technicians = [(user.pk, person_name(user)) for user in users]
    canned = list(CannedResponse.objects.filter(is_active=True).order_by("title").values_list("pk", "title", "body"))
    return Reference(
        schools=[(pk, name) for pk, name, _ in schools],
        ticket_types=[(pk, name) for pk, name, _ in ticket_types],
        active_schools=[(pk, name) for pk, name, is_active in schools if is_active],
        active_ticket_types=[(pk, name) for pk, name, is_active in ticket_types if is_active],
        technicians=technicians,
        canned_responses=canned,
        school_names={pk: name for pk, name, _ in schools},
        ticket_type_names={pk: name for pk, name, _ in ticket_types},
        technician_names=dict(technicians),
    )


def reference() -> Reference:
    return kept(REFERENCE_KEY, _build, seconds=REFERENCE_SECONDS)


def reference_forget() -> None:
    """Called on any change to the rows above (tickets.signals), so the next page reads them again."""
    forget(REFERENCE_KEY)
