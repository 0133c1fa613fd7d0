"""Shared test setup: Qt must run without a screen, decided before Qt is imported.

Each test process (``make test`` runs two, pytest-xdist workers ``gw0``, ``gw1``) gets
its own HOME, XDG folders and MPLCONFIGDIR, also set before Qt is imported: Qt's test
mode (tests/gui/conftest.py) keeps settings and autosave files under ``~/.qttest``, and
the app started as a subprocess uses the XDG folders, so two workers sharing them would
see each other's files (and the person running the tests would see both).

Also the hypothesis profiles and the ``soak`` marker (issue 6):

- ``default`` (``make test``): each property test runs its short count;
- ``soak`` (``HYPOTHESIS_PROFILE=soak``, ``make soak``): the long counts, and the tests
  marked ``@pytest.mark.soak`` (deselected otherwise), e.g. a long GUI monkey test.
"""

import atexit
import os
import shutil
import tempfile

from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# pytest-qt's binding, given here rather than as its `qt_api` ini key: `make test-fast`
# runs tests/core without the plugin (-p no:pytest-qt), where that key would be unknown
os.environ.setdefault("PYTEST_QT_API", "pyside6")

#: the folders each test process gets to itself (under one temporary folder)
PRIVATE_DIRS = {"HOME": "home", "XDG_CONFIG_HOME": "config", "XDG_DATA_HOME": "data",
                "XDG_CACHE_HOME": "cache", "XDG_STATE_HOME": "state",
                "XDG_RUNTIME_DIR": "runtime", "MPLCONFIGDIR": "matplotlib"}


def _private_home() -> str:
    """Point HOME, XDG_* and MPLCONFIGDIR at folders of this process only (removed at
    exit, after the app's own exit handlers have stopped its worker processes)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    base = tempfile.mkdtemp(prefix=f"backprop-stepper-tests-{worker}-")
    for variable, name in PRIVATE_DIRS.items():
        path = os.path.join(base, name)
        os.mkdir(path, 0o700)  # Qt wants XDG_RUNTIME_DIR private
        os.environ[variable] = path
    atexit.register(shutil.rmtree, base, ignore_errors=True)
    return base


PRIVATE_BASE = _private_home()

#: ``make test`` and CI draw the same examples every run (a red CI is a real change, not
#: a new draw); ``make soak`` explores afresh
settings.register_profile("default", deadline=None, derandomize=True)
settings.register_profile("soak", deadline=None, max_examples=10_000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SOAK = settings.get_current_profile_name() == "soak"


def pytest_configure(config):
    config.addinivalue_line("markers", "soak: a long run; only `make soak` "
                                       "(HYPOTHESIS_PROFILE=soak) runs it")
    config.addinivalue_line("markers", "child: starts a child process (tests/core's list "
                                       "is in tests/core/conftest.py); `make test-fast` "
                                       "skips these")


def pytest_collection_modifyitems(config, items):
    if SOAK:
        return
    deselected = [item for item in items if item.get_closest_marker("soak")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("soak")]
