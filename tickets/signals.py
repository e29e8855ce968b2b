"""What happens to tickets, told to whoever listens (the alerts app), so tickets never imports them.

Each is sent inside the service's transaction, after the change is saved: a receiver's writes (an email in the
outbox, a due time) commit or roll back with it. Receivers get keyword arguments only.
"""

from django.dispatch import Signal

# ticket, acting_user (None: the public form)
ticket_created = Signal()
# ticket (as saved), acting_user, changes: {"priority": (old, new), "assignee": (old_id, new_id), ...}
ticket_changed = Signal()
# ticket, event, acting_user: a technician's reply to the requester
ticket_replied = Signal()
# ticket, event: the requester replied (on the page, by email or through My tickets), or a merged ticket's did
ticket_requester_replied = Signal()
# ticket, event, acting_user: an internal note (it may @mention technicians)
ticket_note_added = Signal()
