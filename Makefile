# Two commands: `make run` (set up, load the demo, serve) and `make test` (set up, run every test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run test lint install messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install
	@scripts/system-packages
	$(BIN)/accord init
	$(BIN)/accord demo --if-empty
	$(BIN)/accord serve --host 127.0.0.1 --port 8000

# Tests run in parallel, one pytest-xdist worker per core; each worker has its own databases.
test: install lint
	$(BIN)/pytest -n auto --dist loadgroup

# ruff, mypy strict, and the import contracts of pyproject.toml ([tool.importlinter]).
lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports

# Refresh the message catalogues after changing user-facing text, then translate the new zh_Hans entries.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k N_ -k ngettext:1,2 -k pgettext:1c,2 \
	  --no-location --sort-output --project=Accord --copyright-holder="Accord contributors" \
	  -o src/accord/i18n/locale/messages.pot .
	$(BIN)/pybabel update -i src/accord/i18n/locale/messages.pot -d src/accord/i18n/locale -D messages \
	  --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
