"""The full-text search index of tickets (PostgreSQL), and the queue's search over it."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from devices.selectors import device_ids_for_search
from helpdesk.email_address import normalize_email
from tickets.models import TicketEvent

TICKET_NUMBER_QUERY = re.compile(r"^#?\s*(\d{1,9})$")


SEARCH_REFRESH_SQL = """
UPDATE tickets_ticket AS t SET search_vector =
    setweight(to_tsvector('simple', t.number::text), 'A')
    || setweight(to_tsvector('english', t.subject), 'A')
    || setweight(to_tsvector('simple', replace(replace(t.requester_email, '@', ' '), '.', ' ')), 'A')
    || setweight(to_tsvector('english', t.description), 'B')
    || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(e.body, ' ') FROM tickets_ticketevent AS e
        WHERE e.ticket_id = t.id AND e.kind IN ('reply', 'note', 'closed', 'requester', 'after_close')
    ), '')), 'C')
"""


def ticket_search_refresh(*, ticket_ids: list[int] | None) -> None:
    """Rebuild the full-text document of these tickets (all when None); PostgreSQL only."""
    if connection.vendor != "postgresql":
        return  # the SQLite fallback searches the columns directly
    with connection.cursor() as cursor:
        if ticket_ids is None:
            cursor.execute(SEARCH_REFRESH_SQL)
        else:
            cursor.execute(SEARCH_REFRESH_SQL + " WHERE t.id = ANY(%s)", [list(ticket_ids)])


def tickets_search(queryset: QuerySet, query: str) -> QuerySet:
    """Filter by a search across number, subject, description, replies, notes and requester, best match first."""
    query = query.strip()
    if not query:
        return queryset
    number_match = TICKET_NUMBER_QUERY.match(query)
    by_number = Q(number=int(number_match.group(1))) if number_match else Q(pk__in=[])
    # An asset tag or serial finds the device's tickets (one small indexed query, only for a one-word search).
    device_ids = device_ids_for_search(query=query)
    by_number |= Q(device_id__in=device_ids) if device_ids else Q(pk__in=[])
    if connection.vendor == "postgresql":
        search = SearchQuery(query, search_type="websearch", config="english") | SearchQuery(
            query, search_type="plain", config="simple"
        )
        by_email = Q(requester_email=normalize_email(query)) if "@" in query else Q(pk__in=[])
        return (
            queryset.filter(Q(search_vector=search) | by_number | by_email)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "-created_at", "-id")
        )
    in_events = TicketEvent.objects.filter(ticket=OuterRef("pk"), body__icontains=query)
    return queryset.filter(
        by_number
        | Q(subject__icontains=query)
        | Q(description__icontains=query)
        | Q(requester_email__icontains=query)
        | Exists(in_events)
    )
