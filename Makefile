# Cocommission: `make demo` starts the demo place, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install demo serve test test-postgres test-browser lint typecheck deploy-check clean

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/.built: node_modules/.installed scripts/build-assets.mjs $(wildcard assets/scss/*.scss)
	npm run --silent build
	touch $@

install: $(VENV)/.installed build/static/.built

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py schedule_daily_tasks
	PORT=$(PORT) $(PY) manage.py load_demo
	@echo "Starting Cocommission on http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py db_worker --interval 2 >/dev/null 2>&1 & \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# The same suite against PostgreSQL. DATABASE_URL may point elsewhere.
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cocommission} $(PY) -m pytest $(PYTEST_ARGS)

test-browser: install
	REQUIRE_BROWSER=1 $(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy cocommission config

deploy-check: install
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	DJANGO_ALLOWED_HOSTS=cocommission.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules build db.sqlite3 var
