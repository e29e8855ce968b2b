#!/usr/bin/env bash
# pip-audit against the OSV vulnerability database, when this machine can reach it. PyPI's own JSON API (the only
# index reachable on the offline build machines) carries no vulnerability data, so there the check is skipped with a
# notice instead of passing silently. On a connected machine a known vulnerability fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
reachable='
import urllib.error, urllib.request
try:
    urllib.request.urlopen("https://api.osv.dev/v1/query", data=b"{}", timeout=8)
except urllib.error.HTTPError:
    pass  # the server answered (an empty query gets 400): reachable
'
if ! timeout 10 .venv/bin/python -c "$reachable" 2>/dev/null; then
  echo "pip-audit: SKIPPED, the OSV vulnerability database (api.osv.dev) cannot be reached from this machine."
  echo "  On a connected machine run: .venv/bin/pip-audit -r requirements.txt --vulnerability-service osv"
  exit 0
fi
exec .venv/bin/pip-audit -r requirements.txt --vulnerability-service osv --progress-spinner off
