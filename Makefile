# opencen: the two commands are `make demo` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
PIP := $(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt

.PHONY: demo serve install test lint types pytest browser bench clean messages

demo: $(APP_STAMP)  ## create the venv, migrate, load reference + demo data, serve on :8000
	$(BIN)/opencen demo --serve

serve: $(APP_STAMP)
	$(BIN)/opencen serve

install: $(APP_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q --upgrade pip

$(APP_STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e .
	@touch $@

$(TEST_STAMP): $(APP_STAMP)
	$(PIP) -e ".[test]"
	@touch $@

browser:  ## Debian's Chromium for the Playwright tests (skipped with a reason when absent)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		(apt-get install -y -qq chromium >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)) || \
		echo "Could not install chromium: browser tests will be skipped."; \
	else echo "No /usr/bin/chromium and no root apt-get: browser tests will be skipped."; fi

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

types: $(TEST_STAMP)
	$(BIN)/mypy

pytest: $(TEST_STAMP) browser
	$(BIN)/pytest

test: lint types pytest  ## lint (ruff), types (mypy), the whole test suite

bench: $(TEST_STAMP)  ## benchmarks: figures and ratios to their baselines
	$(BIN)/python benchmarks/run.py

messages: $(TEST_STAMP)  ## refresh and compile the French translation
	cd src/opencen && ../../$(BIN)/opencen makemessages -l fr --no-obsolete && ../../$(BIN)/opencen compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
