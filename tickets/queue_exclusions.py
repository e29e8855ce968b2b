"""Tickets other apps let technicians hide from the queue (an outage's linked tickets), so tickets never imports
them. An app registers in its AppConfig.ready():

    queue_exclusion_register(name="hide_in_outage", label="Tickets in an outage", hidden=lambda: Q(...))

and the queue gets a filter of that name (Shown or Hidden); Hidden, the tickets matching `hidden()` leave the list.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class QueueExclusion:
    name: str
    label: str
    hidden: Callable[[], Q]


_exclusions: dict[str, QueueExclusion] = {}


def queue_exclusion_register(*, name: str, label: str, hidden: Callable[[], Q]) -> None:
    _exclusions[name] = QueueExclusion(name=name, label=label, hidden=hidden)


def queue_exclusions() -> list[QueueExclusion]:
    return list(_exclusions.values())
