# Two commands for a newcomer: `make site` and `make test`. Everything runs from .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test lint format serve clean lock bench

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

site: $(STAMP)  ## Build the bundled sample into site/
	$(BIN)/imr-site build
	@echo "Site built in site/. View it: make serve, then open http://127.0.0.1:8000/"
	@echo "(or: $(BIN)/python -m http.server -d site 8000)"

test: $(STAMP)  ## The whole suite, lint and types included
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy generator tests
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy generator tests

format: $(STAMP)
	$(BIN)/ruff format generator tests bench
	$(BIN)/ruff check --fix generator tests bench

serve: $(STAMP)  ## Preview with reload when a record changes
	$(BIN)/imr-site serve

lock: $(STAMP)
	{ sed -n '1,2p' requirements.lock; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^imr-site'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf site build .pytest_cache .mypy_cache .ruff_cache
