"""The small tables every technician page reads (schools, types, technicians, canned responses), one kept reader each.

Each of them was a query on every page, and a join in the ticket's own query, though they change a few times a
year. Each is kept in the cache under its own key (helpdesk.kept.kept_table), forgotten by any save or delete of its
own rows only: saving a canned response no longer forgets the school names. Drop-downs list and validate from the
same reader (helpdesk.kept_choices.KeptChoiceField), so what a form offers and what it accepts cannot disagree.

Who may use the technicians' pages is never decided from here: that is asked of the database on every request.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db.models import QuerySet

from district.models import School, TicketType
from helpdesk.kept import kept_table
from helpdesk.technicians import technician_filter
from tickets.models import CannedResponse

KEPT_SECONDS = 60


@dataclass(frozen=True)
class Listed:
    """A kept table's rows as (pk, name) pairs in the order drop-downs list them, and names by pk."""

    choices: list[tuple[int, str]]  # every row
    active_choices: list[tuple[int, str]]  # the ones a new ticket may choose
    names: dict[int, str]


def _listed(rows) -> Listed:
    """From (pk, name, is_active) rows."""
    rows = list(rows)
    return Listed(
        choices=[(pk, name) for pk, name, _ in rows],
        active_choices=[(pk, name) for pk, name, is_active in rows if is_active],
        names={pk: name for pk, name, _ in rows},
    )


def person_name(user) -> str:
    """A user's full name, else their username; empty for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def technician_list() -> QuerySet:
    """Active users who can be assigned tickets: superusers and the Technicians group."""
    return User.objects.filter(technician_filter()).distinct().order_by("first_name", "last_name", "username")


def names_with(names: dict[int, str], user_ids) -> dict[int, str]:
    """`names`, plus the names of any of `user_ids` it lacks (a former technician, say), read in one query."""
    missing = set(user_ids) - names.keys() - {None}
    if not missing:
        return names
    return names | {user.pk: person_name(user) for user in User.objects.filter(pk__in=missing)}


@kept_table("tickets:schools:v1", seconds=KEPT_SECONDS, forgotten_by=(School,))
def schools_kept() -> Listed:
    return _listed(School.objects.values_list("pk", "name", "is_active"))


@kept_table("tickets:ticket-types:v1", seconds=KEPT_SECONDS, forgotten_by=(TicketType,))
def ticket_types_kept() -> Listed:
    return _listed(TicketType.objects.values_list("pk", "name", "is_active"))


@kept_table(
    "tickets:technicians:v1",
    seconds=KEPT_SECONDS,
    forgotten_by=(User, Group, User.groups.through),
    unless_only=frozenset({"last_login"}),  # every sign-in saves this; no name or group changed
)
def technicians_kept() -> Listed:
    """Active technicians, by name: who can be assigned."""
    users = technician_list().only("first_name", "last_name", "username")
    return _listed((user.pk, person_name(user), True) for user in users)


@kept_table("tickets:canned-responses:v1", seconds=KEPT_SECONDS, forgotten_by=(CannedResponse,))
def canned_responses_kept() -> list[tuple[int, str, str]]:
    """(pk, title, body) of the active ones, by title."""
    return list(CannedResponse.objects.filter(is_active=True).order_by("title").values_list("pk", "title", "body"))


# The choices each drop-down lists and accepts (helpdesk.kept_choices.KeptChoiceField).
def school_choices() -> list[tuple[int, str]]:
    return schools_kept().choices


def school_choices_active() -> list[tuple[int, str]]:
    return schools_kept().active_choices


def ticket_type_choices() -> list[tuple[int, str]]:
    return ticket_types_kept().choices


def ticket_type_choices_active() -> list[tuple[int, str]]:
    return ticket_types_kept().active_choices


def technician_choices() -> list[tuple[int, str]]:
    return technicians_kept().choices
