"""Benchmark the technicians' pages and the public form on PostgreSQL with many tickets, served by gunicorn.

    .venv/bin/python bench/queue_pages.py [--tickets 100000] [--open-share 0.35] [--requests 200] [--database NAME]

It creates (once) the database (default helpdesk_bench) on DATABASE_URL's server, seeds it with seed_bench, starts
gunicorn with 2 workers on a free loopback port, logs in a technician, and times each page against the minimal
/healthz view, one request at a time, so each figure is the server's time for one request (plus loopback).
Targets: queue and ticket pages under 50 ms median and 150 ms at the 99th percentile; reports under 300 ms;
submitting the public form (reCAPTCHA off, a new requester each time, so every POST creates a ticket and
redirects) under 30 ms median.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_gets(port: int, path: str, cookie: str, requests: int) -> list[float]:
    """Milliseconds per GET, one at a time on one kept-alive connection, after 10 warm-up requests."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    samples = []
    for n in range(requests + 10):
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
    return samples


def time_submissions(port: int, school_id: int, requests: int) -> list[float]:
    """Milliseconds per submitted ticket: the form's POST from a new requester, answered by a redirect."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/tickets/new/")
    response = connection.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    csrf_field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    run = time.time_ns()
    samples = []
    for n in range(requests + 10):
        body = urlencode(
            {
                "csrfmiddlewaretoken": csrf_field,
                "requester_email": f"bench.submit.{run}.{n}@northpanolaschools.org",
                "subject": "Printer in room 12 will not print",
                "priority": "1",
                "school": school_id,
                "classroom": "12",
                "description": "The printer shows a paper jam but there is no paper stuck inside.",
            }
        )
        headers = {"Cookie": f"csrftoken={csrf_cookie}", "Content-Type": "application/x-www-form-urlencoded"}
        started = time.perf_counter()
        connection.request("POST", "/tickets/new/", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 302:
            raise SystemExit(f"submitting the form answered {response.status}, not a redirect to the confirmation")
        if n >= 10:  # warm-up
            samples.append(elapsed)
    connection.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--open-share", type=float, default=0.35, help="Share of seeded tickets still open.")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database", default="helpdesk_bench", help="Created and seeded on DATABASE_URL's server.")
    args = parser.parse_args()

    server = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    database_url = f"{server.scheme}://{server.netloc}/{args.database}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-not-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_COOKIES": "false",
        "CELERY_BROKER_URL": "",
        "DJANGO_LOG_LEVEL": "WARNING",
        "EMAIL_URL": "dummymail://",
    }
    os.environ.update(env)
    subprocess.run(
        ["psql", f"{server.scheme}://{server.netloc}/postgres", "-qc", f"CREATE DATABASE {args.database}"],
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

    from district.models import School
    from tickets.models import Ticket

    have = Ticket.objects.count()
    if have < args.tickets:
        subprocess.run(
            [
                python,
                "manage.py",
                "seed_bench",
                "--tickets",
                str(args.tickets - have),
                "--open-share",
                str(args.open_share),
            ],
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
    device_ticket = Ticket.objects.filter(device__isnull=False).order_by("-number").select_related("device").first()
    pages = [
        ("minimal Django view (/healthz)", "/healthz", None),
        ("queue, first page", "/queue/", 50),
        (f"queue, last page ({last_page})", f"/queue/?page={last_page}", 50),
        ("queue, filtered (school, urgent)", f"/queue/?school={school_id}&priority=4", 50),
        ("queue, all statuses, last page", f"/queue/?status=all&page={-(-Ticket.objects.count() // 50)}", 50),
        ("queue, searched, open work ('projector')", "/queue/?q=projector", 50),
        ("queue, searched, all 100k ('projector')", "/queue/?q=projector&status=all", 50),
        ("ticket page", f"/queue/{busy_ticket}/", 50),
        *(
            [
                ("ticket page with a device (issue 21)", f"/queue/{device_ticket.number}/", 50),
                ("queue, searched by serial, all", f"/queue/?q={device_ticket.device.serial_number}&status=all", 50),
            ]
            if device_ticket
            else []
        ),
        ("reports (8 weeks)", "/reports/", 300),
        ("reports (1 year)", "/reports/?start=2025-11-29&end=2026-11-29", 300),
        ("public form (GET /tickets/new/)", "/tickets/new/", 30),
    ]
    form_school_id = School.objects.filter(is_active=True).values_list("pk", flat=True).first()

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
            samples = time_gets(port, path, cookie, args.requests)
            median, p99 = statistics.median(samples), percentile(samples, 0.99)
            baseline = baseline or median
            print(f"{label:40} {median:10.1f} {p99:8.1f} {median / baseline:10.1f} {target or '':>10}")
        samples = time_submissions(port, form_school_id, args.requests)
        median, p99 = statistics.median(samples), percentile(samples, 0.99)
        label = "public form submitted (POST, new ticket)"
        print(f"{label:40} {median:10.1f} {p99:8.1f} {median / baseline:10.1f} {30:>10}")
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=10)


if __name__ == "__main__":
    main()
