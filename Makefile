# Two commands on a fresh machine: `make run` and `make test`.
# Both create .venv when missing and install the project with the pinned versions.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt

PACKAGE_STAMP := $(VENV)/.installed-package

# The installed packages' bytecode, written on both cores: pip compiles the ~9,500 modules
# one by one after unpacking (torch's 754 MB; 52 s of the install's wall clock here, 22 s
# with --no-compile, then 17 s for this). A few files in the wheels are templates, not
# Python (PySide6's deploy recipes, a torch test for Python 3.12): compileall reports them
# and exits 1, as pip skips them, so its status is not the install's.
COMPILE_SITE = $(PY) -m compileall -qq -j 0 "$$($(PY) -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" || true

# A sandbox may set PYTHONDONTWRITEBYTECODE=1 (this one does): then every process compiles
# the project's sources again, pytest's assertion rewriting of the tests included (7 of
# the 14 s each test worker spends collecting), and so does each of the hundreds of child
# processes the tests start (main.py, the torch worker, the recorder). Python's default
# is back for every target here: bytecode in __pycache__, which git ignores.
unexport PYTHONDONTWRITEBYTECODE

BUNDLE := dist/backprop-stepper

.PHONY: run test test-fast soak lint bench package package-test clean translations update-translations

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade pip setuptools
	$(PIP_INSTALL) --no-compile -e '.[test,dev,bench]'
	$(COMPILE_SITE)
	touch $(STAMP)

# Translations: the Qt Linguist sources (.ts) are committed; the compiled .qm files are
# build outputs, made by pyside6-lrelease (it ships with PySide6-Essentials, which the
# set-up above installs) whenever their .ts changes.
TS := $(wildcard resources/translations/*.ts)
QM := $(TS:.ts=.qm)

resources/translations/%.qm: resources/translations/%.ts | $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

translations: $(QM)

# After changing user-visible text: refresh the .ts (then translate what is unfinished).
update-translations: $(STAMP)
	$(PY) tools/update_translations.py

run: $(STAMP) $(QM)
	$(PY) main.py

# The tests run in parallel (pytest-xdist): one worker process per core, at most 4 (each
# holds Qt, matplotlib and its own torch worker process). `worksteal` hands a busy
# worker's queued tests to an idle one, so no worker ends long after the others. Two
# workers per core were tried: under load the window tests' 60 s waits then timed out
# (test_big_programs), with no measured gain. TEST_WORKERS=0: no workers, everything in
# one process (as before).
TEST_WORKERS ?= auto
XDIST := -n $(TEST_WORKERS) --maxprocesses 4 --dist worksteal

test: $(STAMP) $(QM)
	$(PY) -m pytest $(XDIST)

# The engine's tests (tests/core) that start no child process, for a quick check while
# working: without the pytest-qt plugin, so no Qt is loaded at all (tests/core/conftest.py
# fails the run if a test imports it). It skips the tests marked `child` (listed in
# tests/core/conftest.py: the recorder's runs of scripts and lessons, `python FILE`,
# `main.py` processes, generated torch code), which cost most of tests/core's time, each
# child importing torch; a test not listed that starts a child fails. `make test` runs all.
test-fast: $(STAMP)
	$(PY) -m pytest tests/core $(XDIST) -q -p no:pytest-qt -m "not child"

# The long runs (issue 6): the property tests with 10,000 programs, plus every test
# marked @pytest.mark.soak (the hook for the full GUI monkey test), which `make test` skips.
soak: $(STAMP) $(QM)
	HYPOTHESIS_PROFILE=soak $(PY) -m pytest tests -m "hypothesis or soak" --hypothesis-show-statistics
	MONKEY_ACTIONS=5000 $(PY) -m pytest tests/gui/test_monkey.py -q

lint: $(STAMP)
	$(VENV)/bin/ruff check core gui tests benchmarks main.py
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) benchmarks/bench_engine.py
	$(PY) benchmarks/bench_canvas.py

$(PACKAGE_STAMP): $(STAMP)
	$(PIP_INSTALL) -e '.[package]'
	touch $(PACKAGE_STAMP)

# A one-folder bundle in dist/backprop-stepper/ (build outputs stay out of git).
package: $(PACKAGE_STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build \
		backprop_stepper.spec
	@du -sh $(BUNDLE)

# Build, then run the bundle's own self-test (offscreen, no display needed).
package-test: package
	$(BUNDLE)/backprop-stepper --self-test

# the bundle takes resources/ as it is: compile the translations first
package: $(QM)

clean:
	rm -rf $(VENV) build dist .pytest_cache
	rm -f $(QM)
