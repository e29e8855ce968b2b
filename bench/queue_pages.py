"""Benchmark the technicians' pages on PostgreSQL with many tickets, served by gunicorn.

    .venv/bin/python bench/queue_pages.py [--tickets 100000] [--requests 200]

It creates (once) the database helpdesk_bench on DATABASE_URL's server, seeds it with seed_bench, starts gunicorn
with 2 workers on a free loopback port, logs in a technician, and times each page against the minimal /healthz view.
Targets: queue and ticket pages under 50 ms median and 150 ms at the 99th percentile; reports under 300 ms.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    server = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    database_url = f"{server.scheme}://{server.netloc}/helpdesk_bench"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-not-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_COOKIES": "false",
        "CELERY_BROKER_URL": "",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    subprocess.run(
        ["psql", f"{server.scheme}://{server.netloc}/postgres", "-qc", "CREATE DATABASE helpdesk_bench"],
        capture_output=True,
    )
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True)
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)

    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "helpdesk.settings"
    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    from tickets.models import Ticket

    have = Ticket.objects.count()
    if have < args.tickets:
        subprocess.run(
            [python, "manage.py", "seed_bench", "--tickets", str(args.tickets - have)],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
    technician = User.objects.get(username="bench.casey")
    client = Client()
    client.force_login(technician)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    open_count = Ticket.objects.filter(status__in=Ticket.OPEN_STATUSES).count()
    last_page = max(1, -(-open_count // 50))
    busy_ticket = Ticket.objects.order_by("-number").values_list("number", flat=True).first()
    school_id = Ticket.objects.values_list("school_id", flat=True).first()
    pages = [
        ("minimal Django view (/healthz)", "/healthz", None),
        ("queue, first page", "/queue/", 50),
        (f"queue, last page ({last_page})", f"/queue/?page={last_page}", 50),
        ("queue, filtered (school, urgent)", f"/queue/?school={school_id}&priority=4", 50),
        ("queue, all statuses, last page", f"/queue/?status=all&page={-(-Ticket.objects.count() // 50)}", 50),
        ("queue, searched, open work ('projector')", "/queue/?q=projector", 50),
        ("queue, searched, all 100k ('projector')", "/queue/?q=projector&status=all", 50),
        ("ticket page", f"/queue/{busy_ticket}/", 50),
        ("reports (8 weeks)", "/reports/", 300),
        ("reports (1 year)", "/reports/?start=2025-11-29&end=2026-11-29", 300),
    ]

    port = free_port()
    gunicorn = subprocess.Popen(
        [python, "-m", "gunicorn", "helpdesk.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--log-level", "warning"],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        print(f"{Ticket.objects.count()} tickets ({open_count} open), {args.requests} requests per page, gunicorn -w 2")
        print(f"{'page':40} {'median ms':>10} {'p99 ms':>8} {'x minimal':>10} {'target ms':>10}")
        baseline = None
        for label, path, target in pages:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            samples = []
            for n in range(args.requests + 10):
                started = time.perf_counter()
                connection.request("GET", path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                elapsed = (time.perf_counter() - started) * 1000
                if response.status != 200:
                    raise SystemExit(f"{path} answered {response.status}")
                if n >= 10:  # warm-up
                    samples.append(elapsed)
            connection.close()
            median, p99 = statistics.median(samples), percentile(samples, 0.99)
            baseline = baseline or median
            print(f"{label:40} {median:10.1f} {p99:8.1f} {median / baseline:10.1f} {target or '':>10}")
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=10)


if __name__ == "__main__":
    main()
