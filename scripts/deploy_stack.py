"""The pieces make deploy-check starts on loopback: TLS files, a reCAPTCHA stub, SMTP, a database, the systemd
units' commands and nginx. Each one is stopped by Stack.close(), whatever happened."""

import json
import os
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
import uuid
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import psycopg2
import trustme
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env_file_read(path: Path) -> dict[str, str]:
    """Read a systemd EnvironmentFile the way this project writes them: KEY=value lines and # comments."""
    values = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.isidentifier() or value[:1] in ("'", '"'):
            raise ValueError(f"{path}:{number}: not a plain KEY=value line: {line!r}")
        values[key] = value
    return values


def unit_read(path: Path) -> dict[str, str]:
    """The [Service] settings of a systemd unit that the check runs: ExecStart, WorkingDirectory, EnvironmentFile."""
    service = {}
    for line in path.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and key in ("ExecStart", "WorkingDirectory", "EnvironmentFile", "User"):
            service[key] = value.strip()
    return service


class Tls:
    """A throwaway certificate authority and a certificate for localhost and 127.0.0.1 signed by it."""

    def __init__(self, directory: Path):
        self.ca = trustme.CA()
        self.cert = self.ca.issue_cert("localhost", "127.0.0.1")
        self.ca_file = directory / "ca.pem"
        self.cert_file, self.key_file = directory / "server-chain.pem", directory / "server-key.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        self.cert.private_key_pem.write_to_path(str(self.key_file))
        self.cert_file.write_bytes(b"".join(blob.bytes() for blob in self.cert.cert_chain_pems))

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


class RecaptchaStub:
    """Answers reCAPTCHA's siteverify over HTTPS like Google: success only for the right secret and token."""

    def __init__(self, tls: Tls, *, secret: str, token: str):
        self.calls: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                stub.calls.append({"path": self.path, **{key: values[0] for key, values in form.items()}})
                valid = self.path == "/recaptcha/api/siteverify" and form.get("secret") == [secret]
                valid = valid and form.get("response") == [token]
                answer = {"success": True} if valid else {"success": False, "error-codes": ["invalid-input-response"]}
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = tls.server_context().wrap_socket(self.server.socket, server_side=True)
        self.domain = f"localhost:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


class SmtpRecorder:
    """A real SMTP server (aiosmtpd) that keeps every message it accepts."""

    def __init__(self):
        self.messages = []
        recorder = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                recorder.messages.append(message_from_bytes(envelope.content, policy=policy.default))
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
        self.controller.start()
        self.port = self.controller.port

    def close(self):
        self.controller.stop()


class Database:
    """A fresh database on the PostgreSQL server of base_url, dropped at the end."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.name = f"helpdesk_deploy_check_{uuid.uuid4().hex[:10]}"
        self.admin_dsn = urlunsplit(parts._replace(path="/postgres"))
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        self._execute(f'CREATE DATABASE "{self.name}"')

    def _execute(self, sql: str):
        connection = psycopg2.connect(self.admin_dsn)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    def query(self, sql: str, *params):
        with psycopg2.connect(self.url) as connection, connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def close(self):
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Processes:
    """Long-running commands, each in its own process group with its output in a log file."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str], *, env: dict, cwd: Path) -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("wb")
        self.running[name] = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self.running[name]

    def log(self, name: str) -> str:
        return (self.log_dir / f"{name}.log").read_text(errors="replace")

    def check_alive(self):
        for name, process in self.running.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with status {process.returncode}:\n{self.log(name)[-3000:]}")

    def stop_all(self, timeout: float = 20):
        for process in self.running.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.running.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def unit_command(unit: dict[str, str], paths: dict[str, str]) -> list[str]:
    """The unit's ExecStart with production paths swapped for this run's (each one must be there)."""
    command = unit["ExecStart"]
    for production, local in paths.items():
        command = command.replace(production, local)
    return shlex.split(command)


NGINX_MAIN = """\
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/logs/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    include {dir}/mime.types;
    default_type application/octet-stream;
    access_log {dir}/logs/nginx-access.log;
    sendfile on;
    client_body_temp_path {dir}/tmp/client_body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    include {dir}/sites/helpdesk.conf;
}}
"""


def nginx_prepare(directory: Path, site: str, replacements: list[tuple[str, str]]) -> Path:
    """Write nginx.conf (Debian's main file cut to what the site needs) and the site with local names; return it."""
    for production, local in replacements:
        if production not in site:
            raise ValueError(f"deploy/nginx/helpdesk.conf no longer contains {production!r}; update the deploy check")
        site = site.replace(production, local)
    for sub in ("sites", "tmp", "logs", "acme"):
        (directory / sub).mkdir(exist_ok=True)
    shutil.copy("/etc/nginx/mime.types", directory / "mime.types")
    (directory / "sites" / "helpdesk.conf").write_text(site)
    config = directory / "nginx.conf"
    config.write_text(NGINX_MAIN.format(dir=directory))
    return config
