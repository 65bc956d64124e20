# The two commands at the top of README.md: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install translations test test-tools system-packages clean

## Set up and run the service on its embedded defaults (SQLite under var/, outbox delivery).
run: install
	$(BIN)/msp-feedback db upgrade
	$(BIN)/msp-feedback demo-data
	@echo "Serving http://$(HOST):$(PORT) (Ctrl-C stops it)"
	$(BIN)/msp-feedback serve --host $(HOST) --port $(PORT) --with-worker

## Create the virtualenv, install the package with its test tools, compile the translations.
install: $(VENV)/.installed translations

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/python scripts/compile_translations.py

## Install what the tests drive besides Python: Debian packages (Chromium, fonts, poppler) and npm tools.
test-tools: system-packages node_modules/.installed

system-packages:
	bash scripts/install-system-packages.sh

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## Set up and run every test (SQLite; set TEST_DATABASE_URL to run on PostgreSQL).
test: install test-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules var test-artifacts .pytest_cache
