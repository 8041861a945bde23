# Union Ledger — the two commands: `make run` and `make test`. Both set up everything they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock 2>/dev/null | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# Both cores of the machine; pass PYTEST_ARGS="" for a serial run.
PYTEST_ARGS ?= -n 2

# Debian packages WeasyPrint needs (libharfbuzz-subset0: without it PDFs are ~18x slower) and CJK fonts;
# gettext compiles the project's translations (locale/); pg_dump / pg_restore of the server's major
# version (15 on Debian 12) for manage.py backup / restore.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk gettext postgresql-client-15
# Only the tests need these: the browser tests, the PDF's text and pages (poppler), the Word document
# opened by LibreOffice, and the .xls and .ods import files LibreOffice Calc saves.
TEST_SYSTEM_PACKAGES := chromium poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui

.PHONY: help run test setup setup-test system-packages test-system-packages npm-package migrate demo lint bench clean

help:
	@echo "make run    set up, migrate, load demo data on the first run, serve on http://$(HOST):$(PORT)"
	@echo "make test   set up and run the whole test suite (SQLite, or DATABASE_URL if set)"
	@echo "make lint   ruff check, ruff format --check and mypy"

# Install missing Debian packages when apt-get may be used; otherwise stop with the exact command.
define ensure_debs
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ "$${NO_APT:-0}" != 1 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  elif sudo -n true 2>/dev/null && [ "$${NO_APT:-0}" != 1 ]; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "Missing Debian packages. Run this, then try again:"; \
	    echo "  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
endef

system-packages:
	$(call ensure_debs,$(SYSTEM_PACKAGES))

test-system-packages:
	$(call ensure_debs,$(TEST_SYSTEM_PACKAGES))

$(STAMP): requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required (set PYTHON=...)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@rm -f $(VENV)/.installed-*; touch $@

setup: system-packages $(STAMP)
	@mkdir -p var/staticfiles var/media
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

# axe-core for the accessibility test, from the npm registry at the version tests/browser/axe pins
# (its lock file); installed into var/node, never committed.
AXE := var/node/node_modules/axe-core/axe.min.js

# npm: the machine's own when it has one (Node.js from elsewhere), else Debian's package.
$(AXE): tests/browser/axe/package.json tests/browser/axe/package-lock.json
	@command -v npm >/dev/null || $(MAKE) --no-print-directory npm-package
	@mkdir -p var/node && cp tests/browser/axe/package.json tests/browser/axe/package-lock.json var/node/
	@npm ci --prefix var/node --no-audit --no-fund --silent && touch $@

npm-package:
	$(call ensure_debs,npm)

setup-test: setup test-system-packages $(AXE)

migrate: setup
	@$(PY) manage.py migrate --noinput -v 0

run: migrate
	@$(PY) manage.py demo_data --scale s --if-empty
	@$(PY) manage.py ensure_admin --url http://$(HOST):$(PORT)/admin/
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@$(PY) manage.py runserver $(HOST):$(PORT)

test: setup-test
	@$(PY) manage.py check --fail-level WARNING -v 0
	@$(PY) manage.py makemigrations --check --dry-run -v 0 || { echo "Models changed without a migration"; exit 1; }
	@$(PY) -m pytest $(PYTEST_ARGS)

# ruff (lint and format) on the whole tree; mypy on scoping, the services and the selectors (pyproject).
lint: setup
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy

bench: setup
	@for f in bench/*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) var/*.sqlite3* var/staticfiles .pytest_cache
