"""Any change to the rows `tickets.reference` keeps clears the kept copy, however the change was made."""

from django.contrib.auth.models import Group, User
from django.db.models.signals import m2m_changed, post_delete, post_save

from tickets.models import CannedResponse, School, TicketType
from tickets.reference import reference_forget


def _forget(**kwargs):
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # every sign-in saves this; no name or group changed
    reference_forget()


def connect() -> None:
    for model in (School, TicketType, CannedResponse, User, Group):
        post_save.connect(_forget, sender=model, dispatch_uid=f"reference-forget-save-{model.__name__}")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"reference-forget-delete-{model.__name__}")
    m2m_changed.connect(_forget, sender=User.groups.through, dispatch_uid="reference-forget-groups")
