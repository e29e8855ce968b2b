#!/usr/bin/env bash
# make run: migrate, load the demo data (once), then serve on http://127.0.0.1:$PORT (default 8000).
# PORT also sets HELPDESK_BASE_URL, so the links in emails point at the same port (unless you set it yourself).
# With CELERY_BROKER_URL set, a Celery worker with beat runs beside the web server; without it, tasks run
# in-process and a small loop retries any email that could not be sent. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}
if ! [[ $PORT =~ ^[0-9]+$ ]] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then
  echo "PORT must be a number from 1 to 65535, e.g. make run PORT=8123 (it was '$PORT')." >&2
  exit 2
fi
# The links in emails follow the port, unless HELPDESK_BASE_URL is set here or in .env (manage.py reads .env).
if [ -z "${HELPDESK_BASE_URL:-}" ] && ! grep -qs '^HELPDESK_BASE_URL=' .env; then
  export HELPDESK_BASE_URL=http://127.0.0.1:$PORT
fi

$PY manage.py migrate --noinput
if [[ ${DJANGO_DEBUG:-} =~ ^([Tt]rue|TRUE|1|yes|on)$ ]]; then
  $PY manage.py load_demo_data   # idempotent: tickets only into an empty database; prints the demo logins
  $PY manage.py start_ticket_clocks  # the demo tickets' due times (beat does this when a broker is configured)
else
  echo "DJANGO_DEBUG is not true, so no demo data or demo logins are loaded."
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [ -n "${CELERY_BROKER_URL:-}" ]; then
  echo "Starting a Celery worker with beat on $CELERY_BROKER_URL"
  .venv/bin/celery -A helpdesk worker --beat --loglevel INFO --concurrency 2 \
    --schedule "${TMPDIR:-/tmp}/helpdesk-celerybeat-schedule" &
  pids+=($!)
else
  echo "No CELERY_BROKER_URL: tasks run in-process; pending emails are retried every 60 seconds."
  $PY manage.py send_due_email --loop 60 &
  pids+=($!)
fi

echo "Open http://127.0.0.1:$PORT/ in your browser (the demo logins are listed above)."
echo "Press Ctrl-C to stop."
$PY manage.py runserver "127.0.0.1:$PORT" &
pids+=($!)
wait -n "${pids[@]}"
