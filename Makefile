# ticketlens: `make demo` runs the embedded default on http://127.0.0.1:8000,
# `make test` runs the whole suite. Both set up everything they need on a fresh clone.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
ORACLE := tests/oracle/jql
ORACLE_STAMP := $(ORACLE)/node_modules/.installed

.PHONY: demo test lint typecheck pytest fuzz bench services oracle tools clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

# PostgreSQL for the storage tests (the machine provides it; start it if it is down).
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; \
	  echo "PostgreSQL did not come up on 127.0.0.1:5432" >&2; exit 1

# Test-only tools: Atlassian's JQL parser (the syntax oracle) and an HTTP proxy.
oracle: $(ORACLE_STAMP)
$(ORACLE_STAMP): $(wildcard $(ORACLE)/package.json $(ORACLE)/package-lock.json)
	@if [ -f $(ORACLE)/package.json ]; then cd $(ORACLE) && npm ci --no-audit --no-fund --silent && touch node_modules/.installed; fi

tools:
	@command -v tinyproxy >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tinyproxy >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)

typecheck: $(STAMP)
	$(BIN)/mypy src

pytest: $(STAMP) services oracle tools
	$(BIN)/pytest -q -p no:cacheprovider

test: lint typecheck pytest

fuzz: $(STAMP) oracle
	TICKETLENS_FUZZ_EXAMPLES=200000 $(BIN)/pytest -q -p no:cacheprovider tests/unit/jql -k fuzz

bench: $(STAMP) services oracle
	@for b in $(wildcard bench/*.py); do echo "== $$b"; $(BIN)/python $$b || exit 1; done

demo: $(STAMP)
	$(BIN)/ticketlens demo

clean:
	rm -rf $(VENV) .ticketlens $(ORACLE)/node_modules
