# The two commands a new user needs:
#   make serve   sets everything up and serves on http://127.0.0.1:8000
#   make test    sets everything up and runs the whole test suite (lint, types, JS checks, unit, API, browser)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The JavaScript checks' tools (typescript, node's types; package-lock.json pins them), installed by npm ci.
NPM_STAMP := node_modules/.installed
# Listed by the shell, not by node: `node --test DIR` is a path up to node 20 and a glob from node 21 on.
JS_TESTS = $(wildcard tests/js/*.test.mjs)

.PHONY: setup serve chromium redis test lint js js-fixtures unit e2e perf class scaleout soak smoke clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

serve: setup
	$(PY) -m app serve --host 127.0.0.1 --port 8000

chromium:
	@bash scripts/ensure-chromium

# Debian's redis-server, for the scale-out tests (two replicas sharing a real Redis); no service is started.
redis:
	@bash scripts/ensure-redis

lint: setup
	$(PY) -m ruff check app tests scripts
	$(PY) -m ruff format --check app tests scripts
	$(PY) -m mypy app
	$(VENV)/bin/lint-imports --no-cache

# The browser modules (static/js): tsc over their JSDoc types (the node tests are checked as a second project,
# with node's types), then the node unit tests of the pure modules. Needs node and npm, not the venv.
js: $(NPM_STAMP)
	node_modules/.bin/tsc --noEmit -p .
	node_modules/.bin/tsc --noEmit -p tests/js
	node --test $(JS_TESTS)

$(NPM_STAMP): package.json package-lock.json
	@command -v node >/dev/null && command -v npm >/dev/null \
	  || { echo "make js needs node (18 or later) and npm: on Debian/Ubuntu, apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund
	touch $(NPM_STAMP)

# Refresh the JSON Schemas the node tests read from what the API publishes now.
js-fixtures: setup
	PYTHONPATH=. $(PY) tests/js/fixtures/refresh.py

test: setup chromium redis lint js
	$(PY) -m pytest -q -p no:cacheprovider -n auto --dist worksteal --durations=30

unit: setup
	$(PY) -m pytest -q -n auto -m "not e2e"

e2e: setup chromium
	$(PY) -m pytest -q -m e2e

# Every benchmark but the class simulation (minutes; `make class`).
perf: setup
	for bench in tests/perf/bench_*.py; do \
	  name=$$(basename $$bench .py); [ $$name = bench_class ] && continue; \
	  $(PY) -m tests.perf.$$name || exit 1; done

# A class on this box: 200 students on one link, 50 distinct configs, a fresh server; then with Redis.
class: setup redis
	$(PY) -m tests.perf.bench_class --scenario all
	$(PY) -m tests.perf.bench_class --scenario same --redis

scaleout: setup redis
	$(PY) -m pytest -q -p no:cacheprovider tests/scaleout

soak: setup
	$(PY) scripts/property_soak.py --examples 300
	$(PY) -m tests.perf.fuzz_labs --cases 3000

smoke:
	../shared/tools/container-smoke .

clean:
	rm -rf $(VENV) node_modules
