"""Any change to what the matcher reads gives the rule set a new stamp, however the change was made (the kept testing
windows are forgotten by their reader's own receivers, routing.selectors).

The stamp is written in the same transaction as the change, so other processes see both together.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save


def _bump(**kwargs):
    if kwargs.get("raw"):
        return  # loaddata
    from routing.services import rule_set_bump

    rule_set_bump()


def connect() -> None:
    from district.models import TicketType
    from routing.models import Contact, RoutingRule

    for model in (RoutingRule, Contact, TicketType):
        post_save.connect(_bump, sender=model, dispatch_uid=f"routing-bump-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"routing-bump-delete-{model.__name__}")
    m2m_changed.connect(_bump, sender=RoutingRule.ticket_types.through, dispatch_uid="routing-bump-types")
