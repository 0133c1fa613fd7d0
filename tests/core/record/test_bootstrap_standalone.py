"""The bootstrap runs in the learner's process: torch and the standard library only. A
learner's folder may hold a ``core/`` and a learner's venv may lack numpy (issue 20)."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.core.record.record_support import BOOTSTRAP, ROOT


def test_every_import_is_torch_or_the_standard_library():
    tree = ast.parse(BOOTSTRAP.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports: it runs by path"
            found.add(node.module.split(".")[0])
    assert "torch" in found
    assert found - {"torch"} <= set(sys.stdlib_module_names), found


def _top_level_imports(stderr: str) -> set[str]:
    """Modules ``-X importtime`` shows at the first nesting level: those the bootstrap
    (or the script) imported itself, not what torch imported for its own use."""
    found = set()
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        name = line.rsplit("|", 1)[1]
        if name.startswith(" ") and not name.startswith("  "):
            found.add(name.strip().split(".")[0])
    return found


def test_the_child_never_imports_the_apps_packages(tmp_path):
    # a learner's folder with its own core/ and gui/: importing them would leave a mark
    for package in ("core", "gui"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text(
            f"open({str(tmp_path / (package + '.imported'))!r}, 'w').close()\n")
    script = tmp_path / "learner.py"
    script.write_text("import torch\nw = torch.tensor(2.0, requires_grad=True)\n"
                      "(w * w).backward()\nprint(w.grad.item())\n")
    done = subprocess.run([sys.executable, "-X", "importtime", str(BOOTSTRAP),
                           "--out", str(tmp_path / "record"), str(script)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout == "4.0\n"
    top = _top_level_imports(done.stderr)
    assert "torch" in top
    assert not top & {"core", "gui", "numpy"}, top
    assert not list(tmp_path.glob("*.imported"))
    assert (tmp_path / "record" / "summary.json").exists()


def test_main_py_record_child_is_the_bootstrap(tmp_path):
    """The bundle runs scripts as ``backprop-stepper --record-child …`` (main.py)."""
    script = tmp_path / "learner.py"
    script.write_text("import sys\nprint(sys.argv == [__file__] or sys.argv)\n")
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--record-child", "--out",
                           str(tmp_path / "record"), str(script)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "True\n"
    assert (tmp_path / "record" / "summary.json").exists()
