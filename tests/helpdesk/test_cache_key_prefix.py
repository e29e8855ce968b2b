"""Two sites sharing one Redis never read each other's kept tables or rate-limit counts (issue 18).

Each site's cache settings come from helpdesk.settings itself, in a process of its own with that site's environment:
both sites have a database at 127.0.0.1:5432/helpdesk and the same CACHE_URL, as two servers of one district would.
"Site A's database" is a savepoint this test rolls back, so the rows it kept are gone from the database (no signal
forgets them) and site B's database never had them.
"""

import json
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import RequestFactory
from redis import Redis

from helpdesk import ratelimits
from tests.factories import SchoolFactory, TechnicianFactory, TicketTypeFactory
from tickets.models import CannedResponse
from tickets.reference import canned_responses_kept, schools_kept, technicians_kept, ticket_types_kept

pytestmark = [pytest.mark.django_db, pytest.mark.redis]
BASE_DIR = Path(__file__).resolve().parents[2]
RUN = uuid.uuid4().hex[:8]  # other test runs may share this Redis


class RolledBack(Exception):
    pass


def kept_tables():
    return schools_kept(), ticket_types_kept(), technicians_kept(), canned_responses_kept()


def site_cache(redis_url: str, **env) -> dict:
    """CACHES["default"] as helpdesk.settings builds it for a server with this environment."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://helpdesk:secret@127.0.0.1:5432/helpdesk",
        "CACHE_URL": redis_url,
        "CACHE_KEY_PREFIX": "",  # unset unless the case sets it (a developer's .env must not decide)
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", "import json; from helpdesk import settings; print(json.dumps(settings.CACHES))"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)["default"]


SITES = {
    "own addresses": (
        {"HELPDESK_BASE_URL": f"https://helpdesk-{RUN}.northpanolaschools.org"},
        {"HELPDESK_BASE_URL": f"https://helpdesk-{RUN}.southpanolaschools.org"},
    ),
    "own prefixes": (
        {"HELPDESK_BASE_URL": "https://helpdesk.example.org", "CACHE_KEY_PREFIX": f"helpdesk-{RUN}-production"},
        {"HELPDESK_BASE_URL": "https://helpdesk.example.org", "CACHE_KEY_PREFIX": f"helpdesk-{RUN}-staging"},
    ),
}


@pytest.mark.parametrize("sites", SITES.values(), ids=SITES.keys())
def test_two_sites_on_one_redis_never_see_each_others_data(settings, monkeypatch, sites):
    redis_url = settings.CACHES["default"]["LOCATION"]
    site_a, site_b = (site_cache(redis_url, **env) for env in sites)
    monkeypatch.setitem(ratelimits.LIMITS, "ticket_submit", (ratelimits.Limit("1/h", "ip"),))
    post = RequestFactory().post("/tickets/new/", {"subject": "Printer"}, REMOTE_ADDR="203.0.113.7")
    try:
        with time_machine.travel(datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("America/Chicago")), tick=False):
            settings.CACHES = {"default": site_a}
            with pytest.raises(RolledBack), transaction.atomic():
                SchoolFactory(name="Site A Elementary")
                TicketTypeFactory(name="Site A Smartboard")
                TechnicianFactory(username="site-a-tech", first_name="Avery", last_name="Sitea")
                CannedResponse.objects.create(title="Site A restart", body="Restart the Site A projector.")
                kept_by_a = kept_tables()
                assert "Site A Elementary" in kept_by_a[0].names.values()
                raise RolledBack
            assert kept_tables() == kept_by_a  # A kept its tables (the rows themselves are gone with the savepoint)
            assert ratelimits.rate_limit_check(post, name="ticket_submit") is None
            assert ratelimits.rate_limit_check(post, name="ticket_submit") is not None  # A's count: limited

            settings.CACHES = {"default": site_b}
            schools, ticket_types, technicians, canned_responses = kept_tables()
            assert "Site A Elementary" not in schools.names.values()
            assert "Site A Smartboard" not in ticket_types.names.values()
            assert "Avery Sitea" not in technicians.names.values()
            assert all(title != "Site A restart" for _, title, _ in canned_responses)
            assert ratelimits.rate_limit_check(post, name="ticket_submit") is None  # B counts from zero
    finally:
        redis = Redis.from_url(redis_url)
        for site in (site_a, site_b):
            for key in redis.scan_iter(f"{site['KEY_PREFIX']}:*"):
                redis.delete(key)


def test_the_default_prefix_is_the_sites_address(settings):
    """No CACHE_KEY_PREFIX: the host (and path) of HELPDESK_BASE_URL, never the database's host, port and name."""
    redis_url = settings.CACHES["default"]["LOCATION"]
    cache = site_cache(redis_url, HELPDESK_BASE_URL="https://Help.Example.org/desk/")
    assert cache["KEY_PREFIX"] == "help.example.org/desk"
    assert site_cache(redis_url, CACHE_KEY_PREFIX="helpdesk-staging")["KEY_PREFIX"] == "helpdesk-staging"
