"""Any change to what the matcher reads gives the rule set a new stamp, however the change was made; any change to a
testing window forgets the kept windows (routing.selectors).

The stamp is written in the same transaction as the change, so other processes see both together.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save


def _bump(**kwargs):
    if kwargs.get("raw"):
        return  # loaddata
    from routing.services import rule_set_bump

    rule_set_bump()


def _forget_testing_windows(**kwargs):
    from routing.selectors import testing_windows_forget

    testing_windows_forget()


def connect() -> None:
    from routing.models import Contact, RoutingRule, TestingWindow
    from tickets.models import School, TicketType

    post_save.connect(_forget_testing_windows, sender=TestingWindow, dispatch_uid="testing-windows-forget-save")
    post_delete.connect(_forget_testing_windows, sender=TestingWindow, dispatch_uid="testing-windows-forget-delete")
    m2m_changed.connect(
        _forget_testing_windows, sender=TestingWindow.schools.through, dispatch_uid="testing-windows-forget-schools"
    )
    # A school deleted takes its window links with it, without m2m_changed.
    post_delete.connect(_forget_testing_windows, sender=School, dispatch_uid="testing-windows-forget-school-delete")

    for model in (RoutingRule, Contact, TicketType):
        post_save.connect(_bump, sender=model, dispatch_uid=f"routing-bump-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"routing-bump-delete-{model.__name__}")
    m2m_changed.connect(_bump, sender=RoutingRule.ticket_types.through, dispatch_uid="routing-bump-types")
