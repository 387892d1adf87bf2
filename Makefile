# The two commands of the README: `make run` and `make test`.
# Both set up what they need (virtual environment, packages, database) and
# are quick and harmless the second time.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
REQ_HASH := $(shell cat requirements.txt requirements-dev.txt constraints.txt | sha1sum | cut -c1-12)
VENV_STAMP := $(VENV)/.installed-$(REQ_HASH)
NODE_STAMP := node_modules/.installed-$(shell sha1sum package-lock.json | cut -c1-12)

.PHONY: run test lint format setup clean

$(VENV_STAMP): requirements.txt requirements-dev.txt constraints.txt
	@sh tests/tools/ensure-xmlsec.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-dev.txt -c constraints.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV_STAMP)

# Development server with a Celery worker and beat, demo data and mail on the console.
run: export DEBUG = true
run: $(VENV_STAMP)
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000 — Ctrl-C stops the web server, worker and beat."
	$(BIN)/honcho start -f Procfile.dev

test: $(VENV_STAMP) $(NODE_STAMP)
	@sh tests/tools/ensure-chromium.sh
	$(BIN)/python -m pytest

lint: $(VENV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules var
