#!/usr/bin/env bash
# make run: migrate, load demo data into an empty database, then serve on http://127.0.0.1:8000.
# With CELERY_BROKER_URL set, a Celery worker with beat runs beside the web server; without it, tasks run
# in-process and a small loop retries any email that could not be sent. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

$PY manage.py migrate --noinput
$PY manage.py load_demo_data

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

echo "Open http://127.0.0.1:8000/ in your browser. Press Ctrl-C to stop."
$PY manage.py runserver 127.0.0.1:8000 &
pids+=($!)
wait -n "${pids[@]}"
