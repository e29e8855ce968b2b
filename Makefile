# The README's two commands. Each creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test faults lint bench deploy-check

# make run PORT=8123 serves on another port; the links in emails follow it.
PORT ?= 8000
run: $(VENV)/.installed-run
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} PORT=$(PORT) ./scripts/run.sh

test: $(VENV)/.installed-test
	$(PY) -m pytest $(PYTEST_ARGS)

# Redis stopped, SMTP refusing, the worker killed and PostgreSQL restarted while clients submit (about 3 minutes).
faults: $(VENV)/.installed-test
	$(PY) -m pytest tests/faults -m faults -s -p no:randomly -p no:logging $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(PY) bench/routing_match.py
	$(PY) bench/queue_pages.py $(BENCH_ARGS)

# The production configuration in deploy/, run on loopback behind a real nginx (scripts/deploy_check.py).
deploy-check: $(VENV)/.installed-test
	$(PY) -m scripts.deploy_check

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed-run

# bandit (medium and high findings fail) and pip-audit (skipped with a notice when its database is unreachable).
.PHONY: security
security: $(VENV)/.installed-test
	$(VENV)/bin/bandit -c pyproject.toml -ll -q -r .
	./scripts/audit_dependencies.sh
