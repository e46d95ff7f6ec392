# The two commands of the README:
#   make demo   set up, load the Hòa An demo and serve XHHT on SQLite
#   make test   set up and run the whole suite on SQLite, then on PostgreSQL
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/xhht

.PHONY: demo serve test test-sqlite test-postgres typecheck lint bench setup setup-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev

# The demo's accounts and passwords are public: two-factor sign-in is off for it unless XHHT_TWO_FACTOR is set.
demo: setup
	$(BIN)/xhht demo
	XHHT_TWO_FACTOR=$${XHHT_TWO_FACTOR:-off} $(BIN)/xhht serve --port $(PORT)

serve: setup
	$(BIN)/xhht serve --port $(PORT)

test: setup-dev
	scripts/system-packages.sh
	$(MAKE) --no-print-directory lint test-sqlite test-postgres typecheck

# The suite runs on PYTEST_WORKERS processes (pytest-xdist; 2 = this machine's cores), each with its own test
# database and data folder. "--dist load" hands each worker the tests in collection order, which keeps
# pytest-django's order (tests that empty the database, transaction=True, after the others) on every worker.
# PYTEST_WORKERS=0 runs the suite in one process; docs/performance.md ("The test suite's time") has the figures.
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist load

test-sqlite:
	env -u DATABASE_URL XHHT_DATA_DIR=$(CURDIR)/.test-data $(PYTEST) $(PYTEST_ARGS)

test-postgres:
	scripts/ensure-postgres.sh
	DATABASE_URL=$(PG_URL) XHHT_DATA_DIR=$(CURDIR)/.test-data $(PYTEST) $(PYTEST_ARGS)

typecheck:
	XHHT_DATA_DIR=$(CURDIR)/.test-data $(BIN)/mypy xhht

# ruff (errors and pyflakes, no formatter) and the apps' layering contract (import-linter); see pyproject.toml.
lint: setup-dev
	$(BIN)/ruff check --no-cache .
	$(BIN)/lint-imports

bench: setup-dev
	@echo "Each benchmark is a script in benchmarks/ (see docs/performance.md for its options and figures), e.g.:"
	@echo "  XHHT_DATA_DIR=/tmp/xhht-bench $(BIN)/python benchmarks/indicators_appendix.py"

clean:
	rm -rf $(VENV) .test-data
