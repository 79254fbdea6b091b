# The two commands a new user needs:
#   make serve   sets everything up and serves on http://127.0.0.1:8000
#   make test    sets everything up and runs the whole test suite (lint, types, unit, API, browser)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup serve chromium test lint unit e2e perf soak smoke clean

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

lint: setup
	$(PY) -m ruff check app tests scripts
	$(PY) -m ruff format --check app tests scripts
	$(PY) -m mypy app
	$(VENV)/bin/lint-imports --no-cache

test: setup chromium lint
	$(PY) -m pytest -q -p no:cacheprovider -n auto

unit: setup
	$(PY) -m pytest -q -n auto -m "not e2e"

e2e: setup chromium
	$(PY) -m pytest -q -m e2e

perf: setup
	for bench in tests/perf/bench_*.py; do $(PY) -m tests.perf.$$(basename $$bench .py) || exit 1; done

soak: setup
	$(PY) scripts/property_soak.py --examples 300
	$(PY) -m tests.perf.fuzz_labs --cases 3000

smoke:
	../shared/tools/container-smoke .

clean:
	rm -rf $(VENV)
