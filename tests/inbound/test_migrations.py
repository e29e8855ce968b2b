"""Moving OriginalEmail and HeldEmail from tickets to inbound keeps their rows and the permissions groups were given."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_THE_MOVE = [("tickets", "0019_requester_addresses_without_plus_tags")]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def test_the_move_keeps_rows_and_group_permissions_both_ways():
    after_the_move = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE_THE_MOVE)
        original = old.get_model("tickets", "OriginalEmail").objects.create(message_id="<a@x>", message=b"hello")
        old.get_model("tickets", "HeldEmail").objects.create(original=original, from_address="a@x", reason="unsure")
        reviewers = old.get_model("auth", "Group").objects.create(name="Held email reviewers")
        reviewers.permissions.add(old.get_model("auth", "Permission").objects.get(codename="view_heldemail"))

        new = _migrate(after_the_move)
        held = new.get_model("inbound", "HeldEmail").objects.get()
        assert (held.from_address, bytes(held.original.message)) == ("a@x", b"hello")
        granted = new.get_model("auth", "Group").objects.get(name="Held email reviewers").permissions.get()
        assert (granted.content_type.app_label, granted.codename) == ("inbound", "view_heldemail")

        back = _migrate(BEFORE_THE_MOVE)
        assert back.get_model("tickets", "HeldEmail").objects.get().original.message_id == "<a@x>"
        granted = back.get_model("auth", "Group").objects.get(name="Held email reviewers").permissions.get()
        assert granted.content_type.app_label == "tickets"
    finally:
        _migrate(after_the_move)
