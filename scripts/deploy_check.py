"""make deploy-check: run deploy/ (nginx site, gunicorn, the systemd units' commands, .env.example) on loopback and
use it like a person would, over HTTPS. Prints each check; exits 1 at the first one that fails.

Started here and stopped at the end: a fresh database on DATABASE_URL's server, a queue of its own on
CELERY_BROKER_URL's Redis, an SMTP server (aiosmtpd), a reCAPTCHA siteverify stub over HTTPS, gunicorn, a Celery
worker, Celery beat and nginx with a certificate from a throwaway CA (which gunicorn trusts through SSL_CERT_FILE).
"""

import contextlib
import gzip
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis

from scripts import deploy_stack as stack
from scripts.deploy_prerequisites import nginx_path, prerequisites_missing, prerequisites_report
from scripts.https_client import Browser, csrf_token, ticket_form_fields

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
UNITS = ("web", "worker", "beat")
REQUESTER = "pat.lee@northpanolaschools.org"
RECAPTCHA_SECRET, RECAPTCHA_TOKEN = "deploy-check-secret-key", f"deploy-check-token-{uuid.uuid4().hex}"
# Production values the example file must keep; everything else it says is used as it is, except OVERRIDES.
PRODUCTION_VALUES = {
    "DJANGO_DEBUG": "false",
    "DJANGO_BEHIND_PROXY": "true",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "HELPDESK_TRUSTED_PROXY_COUNT": "1",  # else every visitor would count as nginx's address
    "HELPDESK_RATE_LIMITS": "on",
}


# HSTS for every subdomain, and the browsers' preload list, are district-wide decisions (docs/deploy.md, TLS).
ACCEPTED_WARNINGS = {"security.W005", "security.W021"}


class CheckFailed(Exception):
    pass


def say(message: str) -> None:
    print(f"\n== {message}", flush=True)


PASSED: list[str] = []


def expect(condition, message: str, detail: str = "") -> None:
    if not condition:
        raise CheckFailed(f"FAILED: {message}\n{detail}".rstrip())
    PASSED.append(message)
    print(f"  ok  {message}", flush=True)


def environment(work: Path, *, ports: dict, database, smtp, recaptcha, tls) -> dict:
    """The example environment file with this run's addresses and secrets; written where the units expect it."""
    values = stack.env_file_read(REPO / ".env.example")
    for key, value in PRODUCTION_VALUES.items():
        expect(values.get(key) == value, f".env.example sets {key}={value}")
    values.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="localhost",
        DJANGO_CSRF_TRUSTED_ORIGINS=f"https://localhost:{ports['https']}",
        DJANGO_STATIC_ROOT=str(work / "staticfiles"),
        DATABASE_URL=database.url,
        CELERY_BROKER_URL=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15"),
        CELERY_TASK_DEFAULT_QUEUE=f"helpdesk-deploy-check-{uuid.uuid4().hex[:10]}",
        CACHE_URL=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15"),  # the shared cache, when read
        CACHE_KEY_PREFIX=f"helpdesk-deploy-check-{uuid.uuid4().hex[:10]}",  # a site of its own on a shared Redis
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        HELPDESK_BASE_URL=f"https://localhost:{ports['https']}",
        HELPDESK_PRIVATE_MEDIA_ROOT=str(work / "state" / "private-media"),
        RECAPTCHA_PUBLIC_KEY="deploy-check-site-key",
        RECAPTCHA_PRIVATE_KEY=RECAPTCHA_SECRET,
        RECAPTCHA_DOMAIN=recaptcha.domain,
        HELPDESK_BEAT_HEARTBEAT_SECONDS="2",
        GUNICORN_BIND=f"127.0.0.1:{ports['app']}",
        GUNICORN_WORKERS="2",
    )
    (work / "helpdesk.env").write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    return {**base, **values, "SSL_CERT_FILE": str(tls.ca_file)}


def manage(env: dict, *args: str, extra_env: dict | None = None) -> str:
    command = [str(VENV_BIN / "python"), "manage.py", *args]
    print(f"  $ {' '.join(command[1:])}", flush=True)
    result = subprocess.run(
        command, cwd=REPO, env={**env, **(extra_env or {})}, capture_output=True, text=True, timeout=300
    )
    output = (result.stdout + result.stderr).strip()
    expect(result.returncode == 0, f"manage.py {args[0]} succeeded", output[-4000:])
    return output


def prepare(env: dict) -> None:
    say("manage.py with the production settings (the commands of docs/deploy.md)")
    output = manage(env, "check", "--deploy")
    print("     " + output.replace("\n", "\n     "))
    warnings = set(re.findall(r"\(([\w.]+\.W\d+)\)", output)) - ACCEPTED_WARNINGS
    expect(not warnings, "check --deploy: no errors, and no warnings beyond HSTS subdomains/preload", str(warnings))
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(
        env,
        "createsuperuser",
        "--noinput",
        "--username",
        "helpdesk-admin",
        "--email",
        "it@northpanolaschools.org",
        extra_env={"DJANGO_SUPERUSER_PASSWORD": env["DJANGO_SECRET_KEY"][:24]},
    )


def start_units(processes, env: dict, work: Path) -> None:
    say("gunicorn, Celery worker and Celery beat, as the systemd units in deploy/systemd/ start them")
    paths = {"/srv/helpdesk/.venv/bin": str(VENV_BIN), "/srv/helpdesk": str(REPO), "/var/lib/helpdesk": str(work)}
    for name in UNITS:
        unit = stack.unit_read(REPO / "deploy" / "systemd" / f"helpdesk-{name}.service")
        expect(unit.get("EnvironmentFile") == "/etc/helpdesk/helpdesk.env", f"helpdesk-{name} reads the one env file")
        command = stack.unit_command(unit, paths)
        print(f"  $ {' '.join(command)}", flush=True)
        processes.start(name, command, env=env, cwd=REPO)


def start_nginx(processes, work: Path, ports: dict, tls) -> None:
    say("nginx with deploy/nginx/helpdesk.conf (Debian's nginx, every path inside the check's folder)")
    site = (REPO / "deploy" / "nginx" / "helpdesk.conf").read_text()
    config = stack.nginx_prepare(
        work,
        site,
        [
            ("    listen [::]:80;\n", ""),
            ("    listen [::]:443 ssl http2;\n", ""),
            ("listen 80;", f"listen 127.0.0.1:{ports['http']};"),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{ports['https']} ssl http2;"),
            ("return 301 https://$host$request_uri;", f"return 301 https://$host:{ports['https']}$request_uri;"),
            ("server_name helpdesk.northpanolaschools.org;", "server_name localhost;"),
            ("/etc/letsencrypt/live/helpdesk.northpanolaschools.org/fullchain.pem", str(tls.cert_file)),
            ("/etc/letsencrypt/live/helpdesk.northpanolaschools.org/privkey.pem", str(tls.key_file)),
            ("/srv/helpdesk/staticfiles/", f"{work}/staticfiles/"),
            ("server 127.0.0.1:8000;", f"server 127.0.0.1:{ports['app']};"),
            ("/var/log/nginx/", f"{work}/logs/"),
            ("root /var/www/html;", f"root {work}/acme;"),
        ],
    )
    nginx = nginx_path()
    base = [nginx, "-p", str(work), "-c", str(config), "-e", str(work / "logs" / "nginx-error.log")]
    test = subprocess.run([*base, "-t"], capture_output=True, text=True)
    expect(test.returncode == 0, "nginx -t accepts the configuration", test.stderr)
    processes.start("nginx", [*base, "-g", "daemon off;"], env=dict(os.environ), cwd=work)


def wait_for(condition, what: str, processes, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive()
        with contextlib.suppress(OSError):
            if result := condition():
                return result
        time.sleep(0.3)
    raise CheckFailed(f"FAILED: {what} within {timeout:.0f} s")


def check_https_and_headers(browser: Browser, ports: dict) -> str:
    say("HTTPS, the redirect from HTTP, security headers and cookies")
    plain = Browser(f"http://localhost:{ports['http']}").get("/tickets/new/")
    expect(
        plain.status == 301 and plain.headers["Location"] == f"https://localhost:{ports['https']}/tickets/new/",
        "plain HTTP is redirected to HTTPS (301)",
        f"{plain.status} {plain.headers['Location']}",
    )
    page = browser.get("/tickets/new/")
    expect(page.status == 200, "GET /tickets/new/ over HTTPS answers 200", page.text[:2000])
    headers = page.headers
    expect("max-age=31536000" in headers.get("Strict-Transport-Security", ""), "Strict-Transport-Security is set")
    expect(headers.get("X-Content-Type-Options") == "nosniff", "X-Content-Type-Options: nosniff")
    expect(headers.get("X-Frame-Options") == "DENY", "X-Frame-Options: DENY")
    expect(headers.get("Referrer-Policy") == "same-origin", "Referrer-Policy: same-origin")
    expect(headers.get("Cross-Origin-Opener-Policy") == "same-origin", "Cross-Origin-Opener-Policy: same-origin")
    csp = headers.get("Content-Security-Policy")
    print(f"  --  Content-Security-Policy: {csp or '(not sent by this version)'}")
    expect(headers.get("Server") == "nginx", "the Server header names no version")
    expect(re.fullmatch(r"[0-9a-f]{32}", headers.get("X-Request-ID", "")), "nginx's request id reaches Django")
    csrf_cookie = next((c for c in page.header_list("Set-Cookie") if c.startswith("csrftoken=")), "")
    expect("; Secure" in csrf_cookie, "the CSRF cookie is Secure", csrf_cookie)
    refused = browser.post_form("/tickets/new/", {"subject": "no token"})
    expect(refused.status == 403, "a form posted without the CSRF token is refused (403)", str(refused.status))
    return page.text


def check_acme_challenge(work: Path, ports: dict) -> None:
    challenge = work / "acme" / ".well-known" / "acme-challenge" / "deploy-check-token"
    challenge.parent.mkdir(parents=True)
    challenge.write_text("deploy-check-proof")
    answer = Browser(f"http://localhost:{ports['http']}").get("/.well-known/acme-challenge/deploy-check-token")
    expect(answer.status == 200 and answer.text == "deploy-check-proof", "certbot's challenge is served over HTTP")


def check_submission(browser: Browser, form_html: str, recaptcha, database) -> tuple[int, str]:
    say("A ticket submitted over HTTPS, with the captcha on and a file attached")
    expect("g-recaptcha" in form_html, "the form shows the reCAPTCHA widget")
    fields = {**ticket_form_fields(form_html, requester_email=REQUESTER), "g-recaptcha-response": RECAPTCHA_TOKEN}
    log_file = ("projector.log", b"lamp error 0x2F at 07:55\n" * 40, "text/plain")
    response = browser.post_form("/tickets/new/", fields, {"attachments": log_file})
    expect(response.status == 302, "the submission is accepted (302)", f"{response.status}\n{response.text[:3000]}")
    expect(
        [(call["secret"], call["response"]) for call in recaptcha.calls] == [(RECAPTCHA_SECRET, RECAPTCHA_TOKEN)],
        "the captcha was verified once, over HTTPS, with the site's secret",
        str(recaptcha.calls),
    )
    confirmation = browser.get(response.headers["Location"])
    number = re.search(r"Ticket #(\d+)", confirmation.text)
    expect(confirmation.status == 200 and number, "the confirmation page shows the ticket number")
    rows = database.query(
        "SELECT t.number, count(a.id) FROM tickets_ticket t LEFT JOIN tickets_attachment a ON a.ticket_id = t.id "
        "WHERE t.requester_email = %s GROUP BY t.number",
        REQUESTER,
    )
    expect(rows == [(int(number.group(1)), 1)], "the ticket and its file are stored in PostgreSQL", str(rows))
    return int(number.group(1)), response.headers["X-Request-ID"]


def check_receipt_and_log(number: int, request_id: str, smtp, processes) -> None:
    say("The receipt, through Redis, the worker and SMTP; the request's log line")
    wait_for(lambda: smtp.messages, "the receipt reached the SMTP server", processes)
    [receipt] = smtp.messages
    expect(receipt["To"] == REQUESTER and f"[Ticket #{number}]" in receipt["Subject"], "the receipt arrived")
    line = rf"\[{request_id}\] method=POST route=/tickets/new/ status=302 .*ticket={number} outbox=\d+"
    expect(
        re.search(line, processes.log("web")),
        "gunicorn logged the submission's line: nginx's request id, ticket number, outbox id",
        processes.log("web")[-3000:],
    )


def check_static_and_limits(browser: Browser, form_html: str) -> None:
    say("Static files from nginx, and the upload limit")
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', form_html)
    expect(css, "the page links a hashed stylesheet")
    static = browser.get(css.group(1), **{"Accept-Encoding": "gzip"})
    expect(static.status == 200 and static.headers.get("Content-Encoding") == "gzip", "it comes back gzip-compressed")
    expect(gzip.decompress(static.body).startswith((b"@charset", b"/*", b":root")), "it unpacks to CSS")
    cache = static.headers.get("Cache-Control", "")
    expect("max-age=31536000" in cache and "immutable" in cache, f"it is cached for a year ({cache})")
    too_big = browser.request(
        "POST", "/tickets/new/", body=b"", headers={"Content-Length": str(31 * 1024 * 1024), "Connection": "close"}
    )
    expect(too_big.status == 413, "nginx refuses a body over 30 MB with 413", str(too_big.status))


def check_ready_and_admin(browser: Browser, env: dict, processes) -> None:
    say("Readiness and the first admin")
    ready = wait_for(lambda: (answer := browser.get("/readyz")).status == 200 and answer, "/readyz said 200", processes)
    print(f"  --  /readyz: {ready.text}")
    expect(
        json.loads(ready.body)["checks"]
        == {"database": "ok", "broker": "ok", "outbox": "ok", "beat": "ok", "mailbox": "not used"},
        "/readyz: database, broker, outbox and beat heartbeat all ok",
    )
    login = browser.get("/admin/login/")
    answer = browser.post_form(
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": csrf_token(login.text),
            "username": "helpdesk-admin",
            "password": env["DJANGO_SECRET_KEY"][:24],
        },
    )
    session = next((c for c in answer.header_list("Set-Cookie") if c.startswith("sessionid=")), "")
    expect(answer.status == 302 and "; Secure" in session and "HttpOnly" in session, "admin signs in; Secure cookie")
    expect(browser.get("/admin/").status == 200, "the admin site opens")


def redis_queue_forget(broker_url: str, queue: str) -> None:
    """Remove this run's queue and its bindings, so Redis holds nothing of the check afterwards."""
    client = redis.Redis.from_url(broker_url)
    for key in client.scan_iter(f"*{queue}*"):
        client.delete(key)
    for key in client.scan_iter("_kombu.binding.*"):
        for member in client.smembers(key):
            if member.endswith(queue.encode()):
                client.srem(key, member)


def run(cleanup: contextlib.ExitStack) -> None:
    work = Path(tempfile.mkdtemp(prefix="helpdesk-deploy-check-"))
    work.chmod(0o755)  # nginx's workers (nobody, when run as root) read the static files inside
    ports = {"http": stack.free_port(), "https": stack.free_port(), "app": stack.free_port()}
    say(f"Working in {work}; nginx on https://localhost:{ports['https']} and http://localhost:{ports['http']}")
    tls = stack.Tls(work)
    recaptcha = stack.RecaptchaStub(tls, secret=RECAPTCHA_SECRET, token=RECAPTCHA_TOKEN)
    cleanup.callback(recaptcha.close)
    smtp = stack.SmtpRecorder()
    cleanup.callback(smtp.close)
    database = stack.Database(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    cleanup.callback(database.close)
    env = environment(work, ports=ports, database=database, smtp=smtp, recaptcha=recaptcha, tls=tls)
    cleanup.callback(redis_queue_forget, env["CELERY_BROKER_URL"], env["CELERY_TASK_DEFAULT_QUEUE"])
    prepare(env)
    processes = stack.Processes(work / "logs")
    (work / "logs").mkdir(exist_ok=True)
    cleanup.callback(processes.stop_all)
    start_units(processes, env, work)
    start_nginx(processes, work, ports, tls)
    browser = Browser(f"https://localhost:{ports['https']}", ssl_context=tls.client_context())
    wait_for(lambda: browser.get("/healthz").status == 200, "gunicorn answered /healthz through nginx", processes)
    form_html = check_https_and_headers(browser, ports)
    check_acme_challenge(work, ports)
    number, request_id = check_submission(browser, form_html, recaptcha, database)
    check_receipt_and_log(number, request_id, smtp, processes)
    check_static_and_limits(browser, form_html)
    check_ready_and_admin(browser, env, processes)
    processes.check_alive()
    cleanup.callback(shutil.rmtree, work, ignore_errors=True)  # kept (with its logs) only when a check failed


def main() -> int:
    started = time.monotonic()
    # Stopped from outside (CI's timeout, kill): still stop everything it started, through the ExitStack.
    signal.signal(signal.SIGTERM, lambda *args: sys.exit(143))
    missing = prerequisites_missing()
    if missing:
        print(prerequisites_report(missing), file=sys.stderr)
        print("deploy-check: not run, something it needs is missing (listed above)")
        return 2
    try:
        with contextlib.ExitStack() as cleanup:
            run(cleanup)
            say("Stopping everything the check started")
    except (CheckFailed, RuntimeError, ValueError) as failure:
        print(f"\n{failure}", file=sys.stderr)
        print("deploy-check: FAILED (logs are in the working folder above)", file=sys.stderr)
        print(f"deploy-check: {len(PASSED)} passed, 1 failed")
        return 1
    print(f"\nAll checks passed in {time.monotonic() - started:.0f} s; everything the check started is stopped.")
    print(f"deploy-check: {len(PASSED)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
