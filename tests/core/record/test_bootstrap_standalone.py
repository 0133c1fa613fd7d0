"""The bootstrap runs in the learner's process: torch and the standard library only. A
learner's folder may hold a ``core/`` and a learner's venv may lack numpy (issue 20)."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.core.record.record_support import BOOTSTRAP, ROOT, record_dir


def _imports(path) -> tuple[set[str], list[str]]:
    """A file's absolute imports (top-level names) and its relative ones (``.tape``)."""
    absolute, relative = set(), []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            absolute.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            relative.append("." * node.level + (node.module or ""))
        elif isinstance(node, ast.ImportFrom):
            absolute.add(node.module if node.module.startswith("core.") else
                         node.module.split(".")[0])
    return absolute, relative


def test_every_import_is_torch_or_the_standard_library():
    """bootstrap.py and its parts (child/): torch and the standard library; the parts
    import each other relatively only (run by path, bootstrap.py loads child/ under a
    private name), and bootstrap.py imports ``core.record``'s child only when it was
    itself imported as ``core.record.bootstrap`` (main.py's --record-child)."""
    files = [BOOTSTRAP, *sorted((BOOTSTRAP.parent / "child").glob("*.py"))]
    assert len(files) >= 5
    everything = set()
    for path in files:
        absolute, relative = _imports(path)
        everything |= absolute
        assert all(r.startswith(".") and not r.startswith("..") for r in relative), path
        if path == BOOTSTRAP:
            assert not relative, "no relative imports: it runs by path"
            absolute -= {"core.record"}  # ``from core.record import child``, as a module
        assert absolute - {"torch"} <= set(sys.stdlib_module_names), (path.name, absolute)
    assert "torch" in everything
    assert "core.record" in _imports(BOOTSTRAP)[0]


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


def test_an_error_in_a_torch_call_shows_the_learners_frames_only(tmp_path):
    """A torch call reaches the script through the recorder's mode (child/), so a call
    that raises passes through the recorder's frames: Python's traceback leaves them
    out, run by path (the zygote's fork) and as main.py's --record-child alike."""
    script = tmp_path / "shapes.py"
    script.write_text("import torch\n\n\ndef layer(x):\n    return x @ torch.ones(2, 3)\n\n\n"
                      "layer(torch.ones(2, 3))\n")
    by_path = record_dir(script, tmp_path / "a")
    as_module = subprocess.run([sys.executable, str(ROOT / "main.py"), "--record-child",
                                "--out", str(tmp_path / "b"), str(script)], cwd=tmp_path,
                               capture_output=True, timeout=300)
    for done in (by_path, as_module):
        err = done.stderr.decode()
        assert done.returncode == 1, err[-2000:]
        assert err.startswith("Traceback (most recent call last):"), err
        assert f'File "{script}", line 8, in <module>' in err
        assert f'File "{script}", line 5, in layer' in err
        assert err.rstrip().splitlines()[-1].startswith("RuntimeError: mat1 and mat2 shapes")
        assert err.count('File "') == 2, err  # the learner's two frames, nothing of ours


def test_the_recorders_frames_are_known_by_path_and_in_the_bundle():
    """Frames name the recorder's files by absolute path when run by path, and relative
    to the bundle (``core/record/child/…``) in the frozen app, which showed them."""
    from core.record.child.script import _ours

    child = BOOTSTRAP.parent / "child"
    for name in (str(BOOTSTRAP), str(child / "call_recording.py"),
                 "core/record/bootstrap.py", "core/record/child/call_recording.py",
                 "C:\\app\\_internal\\core\\record\\child\\tape.py"):
        assert _ours(name), name
    for name in ("/tmp/frz.py", "train.py", "/home/a/core/record/childish/x.py",
                 "/home/a/core/record/child/deeper/x.py", "/home/a/my_bootstrap.py",
                 "<frozen runpy>"):
        assert not _ours(name), name
