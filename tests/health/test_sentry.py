"""With SENTRY_DSN set, an error in a view reaches the Sentry server, tagged with the request id, without personal data."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import BASE_DIR

SCRIPT = """
import django
django.setup()
import sentry_sdk
from django.test import Client
from django.urls import path
import helpdesk.urls

def broken(request):
    raise RuntimeError("deliberate failure for the Sentry test")

helpdesk.urls.urlpatterns.append(path("broken/", broken))
Client(raise_request_exception=False).get("/broken/", headers={"X-Request-ID": "sentry-test-request-1"})
sentry_sdk.flush(timeout=10)
"""


class EnvelopeRecorder(BaseHTTPRequestHandler):
    envelopes: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        EnvelopeRecorder.envelopes.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_view_error_reaches_sentry_with_request_id():
    server = ThreadingHTTPServer(("127.0.0.1", 0), EnvelopeRecorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
        "DJANGO_SECRET_KEY": "sentry-test-" + "x" * 50,
        "DATABASE_URL": "sqlite:///:memory:",
        "CELERY_BROKER_URL": "",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/1",
        "SENTRY_ENVIRONMENT": "deploy-test",
    }
    try:
        subprocess.run([sys.executable, "-c", SCRIPT], cwd=BASE_DIR, env=env, check=True, timeout=60)
    finally:
        server.shutdown()

    events = [
        json.loads(line)
        for envelope in EnvelopeRecorder.envelopes
        for line in envelope.splitlines()
        if b'"exception"' in line
    ]
    [event] = events
    assert event["exception"]["values"][-1]["value"] == "deliberate failure for the Sentry test"
    assert event["tags"]["request_id"] == "sentry-test-request-1"
    assert event["environment"] == "deploy-test"
    assert "cookies" not in event["request"] and "user" not in event  # send_default_pii is off
