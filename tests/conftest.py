"""Shared test setup: Qt must run without a screen, decided before Qt is imported."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
