# journal-app: `make run` starts the app, `make test` runs every check. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: run test lint typecheck unit dist-check bench bench-jrnl clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(VENV)/bin/journal-app

lint: $(STAMP_TEST)
	$(VENV)/bin/ruff check journal_app tests benchmarks scripts
	$(VENV)/bin/mypy

unit: $(STAMP_TEST)
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest

test: lint unit dist-check

# Build the wheel, install it into a fresh venv and run it from outside the repository.
dist-check: $(STAMP_TEST)
	$(PY) scripts/dist_check.py

bench: $(STAMP_TEST)
	$(PY) benchmarks/bench.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/bench_ui.py

bench-jrnl: $(STAMP_TEST)
	$(PY) benchmarks/bench.py --jrnl

clean:
	rm -rf $(VENV) build dist benchmarks/out
