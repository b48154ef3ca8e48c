# Sinergia: `make run` serves the demo, `make test` runs the whole suite.
# Each step only redoes its work when its inputs change.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_WORKERS ?= 2
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?= -n 2 -p no:cacheprovider

.PHONY: run test setup system-deps messages migrate demo serve lint test-sqlite test-postgres bench clean

run: setup demo serve

test: setup system-deps lint test-sqlite test-postgres

setup: $(VENV)/.installed node_modules/.installed messages migrate

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages the suite needs: chromium for browser tests, gettext for translations.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

messages:
	@command -v msgfmt >/dev/null 2>&1 || $(MAKE) --no-print-directory system-deps
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate:
	@mkdir -p var
	$(MANAGE) migrate --no-input -v 0

demo:
	$(MANAGE) load_demo

serve:
	$(MANAGE) collectstatic --no-input -v 0
	@echo "Sinergia on http://$(HOST):$(PORT)/ (Ctrl-C stops the server, the task worker and the scheduler)"
	@trap 'kill 0' INT TERM EXIT; \
	$(MANAGE) db_worker --interval 1 & \
	$(MANAGE) periodic & \
	$(BIN)/gunicorn sinergia.wsgi:application --bind $(HOST):$(PORT) --workers $(WEB_WORKERS) \
		--access-logfile - --timeout 60

lint:
	$(BIN)/ruff check .
	$(BIN)/mypy sinergia

test-sqlite:
	$(BIN)/pytest $(PYTEST_ARGS)

# PostgreSQL is a second, full run. Under CI it must be there; elsewhere a missing server is reported and skipped.
test-postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || { command -v pg_ctlcluster >/dev/null 2>&1 && \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | tail -n 1) main start 2>/dev/null; sleep 2; } || true
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(PG_TEST_URL): the CI run needs it." >&2; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $(PG_TEST_URL): skipping the PostgreSQL run."; \
	fi

bench:
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles var .pytest_cache .mypy_cache .ruff_cache
