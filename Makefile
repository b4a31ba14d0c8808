# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# Browser tests drive Debian's Chromium (never a browser downloaded by a test tool).
CHROMIUM := /usr/bin/chromium
# The bench scripts' own tests drive wrk, as their developers do.
WRK := /usr/bin/wrk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-postgres lint spec migrate demo clean messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# One install for both (a grouped target): the package lists are read once.
$(CHROMIUM) $(WRK) &:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium wrk

run: $(STAMP) ## install, migrate, load the demo, serve on 127.0.0.1:$PORT
	$(BIN)/fundflow db upgrade
	$(BIN)/fundflow demo
	PORT=$(PORT) $(BIN)/fundflow serve --host 127.0.0.1 --port $(PORT)

test: $(STAMP) $(CHROMIUM) $(WRK) ## lint, then the whole suite on SQLite
	$(BIN)/ruff check src tests migrations bench scripts
	$(BIN)/ruff format --check --quiet src tests migrations bench scripts
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(STAMP) $(CHROMIUM) $(WRK) ## the same suite against the local PostgreSQL
	FUNDFLOW_TEST_DATABASE_URL=$${FUNDFLOW_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests migrations bench scripts
	$(BIN)/ruff format --check src tests migrations bench scripts
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-cache

spec: $(STAMP) ## regenerate api_spec/openapi.json
	$(BIN)/fundflow spec

migrate: $(STAMP)
	$(BIN)/fundflow db upgrade

demo: $(STAMP)
	$(BIN)/fundflow demo

clean:
	rm -rf $(VENV) fundflow.db fundflow.db-wal fundflow.db-shm

messages: $(STAMP) ## bring the pages' catalogues up to date with the code and templates
	$(BIN)/python scripts/catalogues.py
