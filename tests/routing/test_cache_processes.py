"""A rule saved in one process is used by another process that has the old rules cached, on its next request."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from routing.models import RoutingRule

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.usefixtures("district_policy")]
BASE_DIR = Path(__file__).resolve().parents[2]

OTHER_PROCESS = """
import sys, django
django.setup()
from routing.selectors import rule_set_current, routing_rule_for_request
first = rule_set_current()
def check():
    match = routing_rule_for_request(subject="Gradebook", description="The Spectra gradebook is slow")
    return match.rule.name if match else "none"
print("before", check(), flush=True)
sys.stdin.readline()  # the test saves a rule meanwhile
print("after", check(), "reloaded" if rule_set_current() is not first else "cached", flush=True)
"""


def test_other_process_sees_a_saved_rule_on_its_next_request():
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_PROCESS],
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout.readline().strip() == "before SAM Spectra 7 questions"
        rule = RoutingRule.objects.get(name="SAM Spectra 7 questions")
        rule.is_active = False
        rule.save(update_fields=["is_active"])
        output, errors = other.communicate("go\n", timeout=30)
    finally:
        other.kill()
    assert output.strip() == "after none reloaded", errors
