"""gunicorn settings for the help desk, started by deploy/systemd/helpdesk-web.service behind nginx.

Sync workers are right here: nginx reads each request body (attachments up to 25 MB) in full before passing it
on, so a slow connection never holds a worker.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Replace each worker now and then, so a slow leak never grows for weeks.
max_requests = 1000
max_requests_jitter = 100
# X-Forwarded-* are trusted only from nginx on this machine (Django reads them with DJANGO_BEHIND_PROXY=true).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Django logs one line per request (helpdesk.request_log) and nginx keeps the access log; errors go to the journal.
accesslog = None
errorlog = "-"
loglevel = "info"
