"""What make deploy-check needs on the machine, checked before it starts anything, each with what to install."""

import ctypes.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import redis

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/15"


@dataclass(frozen=True)
class Missing:
    what: str
    fix: str


def nginx_path() -> str | None:
    """Debian's nginx: on PATH, or in /usr/sbin, which is not on an ordinary user's PATH."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def prerequisites_missing(environ: dict | None = None) -> list[Missing]:
    """Return what is missing (empty when everything the check uses is there)."""
    environ = os.environ if environ is None else environ
    missing = []
    if nginx_path() is None or not Path("/etc/nginx/mime.types").is_file():
        missing.append(Missing("nginx (the web server in front of gunicorn)", "apt-get install nginx"))
    if ctypes.util.find_library("magic") is None:
        missing.append(Missing("libmagic (file types of uploads)", "apt-get install libmagic1"))
    database_url = environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    try:
        admin = urlunsplit(urlsplit(database_url)._replace(path="/postgres"))
        psycopg2.connect(admin, connect_timeout=5).close()
    except psycopg2.Error as exc:
        missing.append(
            Missing(
                f"PostgreSQL at {_without_password(database_url)} ({str(exc).strip().splitlines()[0]})",
                "apt-get install postgresql, start it, or set DATABASE_URL to a server where you may create databases",
            )
        )
    broker_url = environ.get("CELERY_BROKER_URL", DEFAULT_BROKER_URL)
    try:
        redis.Redis.from_url(broker_url, socket_connect_timeout=5, socket_timeout=5).ping()
    except redis.RedisError as exc:
        missing.append(
            Missing(
                f"Redis at {_without_password(broker_url)} ({exc})",
                "apt-get install redis-server and start it (redis-server --daemonize yes), or set CELERY_BROKER_URL",
            )
        )
    return missing


def prerequisites_report(missing: list[Missing]) -> str:
    lines = ["deploy-check cannot start: this machine lacks what it needs."]
    lines += [f"  - {item.what}: {item.fix}" for item in missing]
    lines.append("Install what is listed (as root), then run make deploy-check again.")
    return "\n".join(lines)


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))
