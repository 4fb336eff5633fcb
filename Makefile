# journal-app: `make run` starts the app, `make test` runs every check. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
# Every install comes from a lock file with hashes (make lock writes them): the runtime set, and the
# runtime set with the test and build tools. The project itself goes in last, without dependencies,
# built by the locked backend (pip refuses an editable project under --require-hashes).
LOCK_RUN := requirements/run.txt
LOCK_TEST := requirements/test.txt
PIP_LOCKED := $(PY) -m pip install --quiet --require-hashes
PIP_PROJECT := $(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
# Two worker processes, one a core; a test file stays on one worker (its module fixtures are made
# once). XDIST= runs everything in one process. A worker that crashes (or that pytest-timeout ends
# after a hung test) ends the run, naming the test: pytest-xdist 3.8 replacing it under loadfile
# can wait for ever at the end of the run (pytest-xdist issues 784 and 1378; seen in CI, 7 Dec).
XDIST ?= -n 2 --dist loadfile --max-worker-restart=0
# make run does not choose Qt's platform: without a display the app says so and stops (forcing
# offscreen here ran it invisibly and held the terminal). The tests and benchmarks set offscreen.

.PHONY: run test lint typecheck unit coverage dist-check bundle test-bundle icons bench bench-cohort \
	bench-start bench-jrnl bench-sync print-xcb-libs mutate lock clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP_RUN): $(LOCK_RUN) pyproject.toml | $(VENV)/bin/python
	$(PIP_LOCKED) -r $(LOCK_RUN)
	$(PIP_PROJECT)
	touch $@

$(STAMP_TEST): $(LOCK_TEST) pyproject.toml | $(VENV)/bin/python
	$(PIP_LOCKED) -r $(LOCK_TEST)
	$(PIP_PROJECT)
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(VENV)/bin/journal-app

lint: $(STAMP_TEST)
	$(VENV)/bin/ruff check journal_app tests benchmarks scripts
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# The unit tests run under branch coverage; the end-to-end and UI tests after them without it
# (measuring every CLI process the e2e tests start costs more than make test's ten minutes).
# Then each security module must hold its floor (scripts/coverage_floors.py).
unit: $(STAMP_TEST)
	rm -f .coverage .coverage.*
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest $(XDIST) --cov --cov-report= tests/unit
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest $(XDIST) tests/e2e tests/ui
	$(PY) scripts/coverage_floors.py

# Every module's branch coverage over the unit and end-to-end tests, the CLI processes the e2e
# tests start included ([tool.coverage.run] patches subprocess); by hand, slower than make unit.
coverage: $(STAMP_TEST)
	rm -f .coverage .coverage.*
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest --cov --cov-report= --ignore=tests/ui
	$(VENV)/bin/coverage report

test: lint unit dist-check

# Build the wheel, install it into a fresh venv and run it from outside the repository.
dist-check: $(STAMP_TEST)
	$(PY) scripts/dist_check.py

# The desktop app as one folder (PyInstaller, packaging/journal-app.spec), packed on Linux as
# dist/journal-app-VERSION-linux-x86_64.tar.gz with its desktop entry, icons, MIME types,
# AppStream metainfo and install.sh / uninstall.sh for ~/.local; prints its size and build time.
bundle: $(STAMP_TEST)
	$(PY) scripts/bundle.py

# Unpack that tarball into an empty folder and run it under env -i (no Python, no venv):
# --version, init, add, search, the window offscreen, the metainfo and desktop entry validated,
# install.sh and uninstall.sh. .ci/run installs appstream, desktop-file-utils, shared-mime-info.
test-bundle: $(STAMP_TEST)
	$(PY) scripts/bundle_check.py

# Render the icons drawn as SVG (resources/icons/app, resources/icons/mime) to PNGs, 16-512 px.
icons: $(STAMP_TEST)
	$(PY) scripts/render_icons.py

bench: $(STAMP_TEST)
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/bench_cohort.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/bench_ui.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/bench_ui.py --spelling
	$(MAKE) --no-print-directory bench-start
	$(MAKE) --no-print-directory bench-sync

# The cohort report's intervals over 1,000 simulated cohorts (also part of make bench).
bench-cohort: $(STAMP_TEST)
	$(PY) benchmarks/bench_cohort.py

# The lock screen beside a bare PySide6 window, under a private Xvfb polled with xwininfo. As
# root with apt-get, the X server, xwininfo and the libraries of Qt's X11 plugin are installed
# when missing; elsewhere the benchmark says what is missing and skips.
XCB_LIBS := libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
	libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libegl1
# .ci/run installs them for the accessibility walk too.
print-xcb-libs:
	@echo $(XCB_LIBS)

bench-start: $(STAMP_TEST)
	@if ! command -v Xvfb >/dev/null || ! command -v xwininfo >/dev/null \
	    || ! ldconfig -p 2>/dev/null | grep -q libxcb-cursor.so.0; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && apt-get install -y -qq xvfb x11-utils $(XCB_LIBS) >/dev/null; \
	  fi; \
	fi
	$(PY) benchmarks/bench_start.py

# Sync (issue 21): 1,000 interleavings, the first join at 10,000 entries, one entry reaching
# another device, the sync folder's size.
bench-sync: $(STAMP_TEST)
	$(PY) benchmarks/bench_sync.py

bench-jrnl: $(STAMP_TEST)
	$(PY) benchmarks/bench.py --jrnl

# Mutation testing of the security modules ([tool.mutmut] in pyproject.toml): long (hours for all
# of them), so by hand, never in make test or CI. Lists the mutants no test noticed; `mutmut show
# NAME` prints one, `mutmut browse` walks them. Work and results stay in mutants/ (ignored by git).
mutate: $(STAMP_TEST)
	$(VENV)/bin/mutmut run
	$(VENV)/bin/mutmut results

# Re-resolve every dependency to the newest release pyproject.toml allows, rewrite the lock files
# and list what changed. The resolver (uv) is itself installed from a hashed lock, in its own venv.
lock:
	test -x .venv-lock/bin/python || $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements/lock-tool.txt
	.venv-lock/bin/python scripts/lock.py --uv .venv-lock/bin/uv

clean:
	rm -rf $(VENV) .venv-lock build dist benchmarks/out mutants .coverage .coverage.*
