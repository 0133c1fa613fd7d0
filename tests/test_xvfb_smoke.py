"""The real-X smoke walk (tools/xvfb_smoke.py) is wired into CI and names the packages
the README names; the walk itself runs under Xvfb in .ci/run, not here."""

from __future__ import annotations

from pathlib import Path

from tools import xvfb_smoke

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_walk_after_the_tests():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert script.index("make test") < script.index("tools/xvfb_smoke.py --install-missing")


def test_the_readme_lists_every_library_the_walk_installs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if line.strip().startswith("apt-get install"))
    libraries = set(xvfb_smoke.PACKAGES) - {"xvfb"}
    assert libraries <= set(line.split()), libraries - set(line.split())


def test_the_walk_checks_a_960x540_screen_and_the_issues_minimum():
    assert (1920, 1080, 2) in xvfb_smoke.SCREENS  # 960×540 logical pixels
    assert xvfb_smoke.MAX_MINIMUM == (960, 540)
