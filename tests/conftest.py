"""Shared test setup: Qt must run without a screen, decided before Qt is imported.

Also the hypothesis profiles and the ``soak`` marker (issue 6):

- ``default`` (``make test``): each property test runs its short count;
- ``soak`` (``HYPOTHESIS_PROFILE=soak``, ``make soak``): the long counts, and the tests
  marked ``@pytest.mark.soak`` (deselected otherwise), e.g. a long GUI monkey test.
"""

import os

from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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


def pytest_collection_modifyitems(config, items):
    if SOAK:
        return
    deselected = [item for item in items if item.get_closest_marker("soak")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("soak")]
