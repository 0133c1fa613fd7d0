"""The recorder tests' shared fixture (scripts run once per session)."""

from tests.core.record.record_support import runs  # noqa: F401 - a fixture
