"""Settings for the test suite: the real PostgreSQL and Redis when reachable, else SQLite with those tests skipped.

HELPDESK_REQUIRE_SERVICES=1 (set by CI) turns a missing service into an error instead of a skip.
"""

import os
import shutil
import socket
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("CHROMIUM_PATH", shutil.which("chromium") or "/usr/bin/chromium")
os.environ.setdefault("DJANGO_DEBUG", "false")
# A queue of our own, so a stray worker on the same Redis never takes this run's tasks.
os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", f"helpdesk-test-{uuid.uuid4().hex[:12]}")

# The Nu Html Checker, from npm (`.ci/run` installs it); it runs on Debian's Java.
os.environ.setdefault(
    "VNU_JAR",
    str(Path(__file__).resolve().parent.parent / ".vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"),
)
REQUIRE_SERVICES = os.environ.get("HELPDESK_REQUIRE_SERVICES", "") not in ("", "0", "false")


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1.5):
            return True
    except OSError:
        return False


SERVICES = {
    "postgres": _reachable(os.environ["DATABASE_URL"], 5432),
    "redis": _reachable(os.environ["CELERY_BROKER_URL"], 6379),
    "chromium": os.access(os.environ["CHROMIUM_PATH"], os.X_OK),
    "dovecot": os.access(shutil.which("dovecot") or "/usr/sbin/dovecot", os.X_OK),
    "vnu": os.path.isfile(os.environ["VNU_JAR"]) and bool(shutil.which("java")),
}
MISSING_SERVICES = sorted(name for name, up in SERVICES.items() if not up)
if REQUIRE_SERVICES and MISSING_SERVICES:
    raise RuntimeError(
        f"HELPDESK_REQUIRE_SERVICES is set but these are not available: {', '.join(MISSING_SERVICES)}. "
        "Check DATABASE_URL, CELERY_BROKER_URL and CHROMIUM_PATH, and that dovecot-imapd, Java and vnu-jar "
        "are installed (see .ci/run)."
    )
if not SERVICES["postgres"]:
    os.environ["DATABASE_URL"] = "sqlite:///:memory:"
if not SERVICES["redis"]:
    os.environ["CELERY_BROKER_URL"] = "redis://127.0.0.1:6379/15"  # never contacted: tasks run eagerly

os.environ.setdefault("HELPDESK_PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="helpdesk-test-media-"))

from helpdesk.settings import *  # noqa: E402, F403

# Tests run tasks in-process unless a test starts a real worker (tests/conftest.py: celery_worker).
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["*"]
# Rate limits and the cache are counted in the real Redis, as in production; each test gets its own key prefix
# (tests/conftest.py), so counts never carry over from one test to the next.
if SERVICES["redis"]:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CELERY_BROKER_URL"],
            "KEY_PREFIX": f"helpdesk-test-{uuid.uuid4().hex[:12]}",
        }
    }

# Most tests feed in mail without sender checks; the tests of verification and of the held-by-default behaviour
# (tests/inbound/test_sender_verification.py) set this back to the production default, False.
HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS = True
