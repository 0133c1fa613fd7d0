"""``main.py --screenshot / --export / --export-steps --file SESSION.json`` on a session of
a script (issue 20 §5/§6), run as the user would: the window renders the saved recording
(``--pass K``, ``--step S`` as with ``--run``) and runs nothing. A script's session with
no recording, or a script file without ``--run``, is exit 2 with one ``error:`` line
saying to use --run (gui.run_cli.render_session).

The renders and the ``--headless`` runs compared with them run in the test process
(tests/gui_in_process.py, tests/headless.py); an unreadable recording's exit 2 is seen
from real processes (``spawned``), the window's and the headless one's."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from PySide6.QtGui import QImage

from core.io.session import Session
from tests.core.record.record_support import ROOT, saved_session
from tests.core.record.test_session_cli import SCRIPT  # counts its own runs in ran.txt
from tests.gui_in_process import spawned, window_cli
from tests.headless import in_process as headless_in_process

RAISES = "import torch\nw = torch.tensor(2.0, requires_grad=True)\nfor i in range(2):\n" \
         "    (w * w).backward()\nraise ValueError('no more')\n"


def main(*args: str, cwd) -> subprocess.CompletedProcess:
    """``main.py ARGS`` in the test process: the window's render, or ``--headless``."""
    if args[:1] == ("--headless",):
        return headless_in_process(*args[1:], cwd=cwd)
    return window_cli(*args, cwd=cwd)


@pytest.fixture(autouse=True)
def _application(qapp):
    """The in-process renders reuse pytest-qt's QApplication."""
    return qapp




@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """(script, session, an empty folder the renders run in)."""
    base = tmp_path_factory.mktemp("saved")
    script, session = saved_session(base / "train", SCRIPT, "train")
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return script, session, elsewhere


def _errors(done: subprocess.CompletedProcess) -> list[str]:
    return [line for line in done.stderr.splitlines() if line.startswith("error:")]


def _nothing_ran(script, elsewhere) -> None:
    assert (script.parent / "ran.txt").read_text() == "1"  # run_script's run only
    assert not (elsewhere / "ran.txt").exists()


def _figure(path) -> str:
    """An SVG without what differs between two writes of the same figure (the date,
    matplotlib's random clip-path ids)."""
    text = path.read_text(encoding="utf-8")
    return re.sub(r"p[0-9a-f]{10}\b", "CLIP", re.sub(r"<dc:date>[^<]*</dc:date>", "", text))


def test_a_saved_pass_renders_as_a_fresh_run_of_it(saved, tmp_path):
    script, session, elsewhere = saved
    steps = len(json.loads(main("--headless", "--file", str(session), "--pass", "2", "--json",
                                cwd=elsewhere).stdout)["steps"])
    figures = {}
    for name, extra in (("2", ()), ("2 end", ("--step", str(steps))),
                        ("2 at 5", ("--step", "5")), ("3 at 5", ("--step", "5"))):
        out = tmp_path / f"{name.replace(' ', '_')}.svg"
        done = main("--export", str(out), "--file", str(session), "--pass", name[0], *extra,
                    cwd=elsewhere)
        assert done.returncode == 0, done.stderr
        assert out.read_bytes().startswith(b"<?xml")
        figures[name] = _figure(out)
    _nothing_ran(script, elsewhere)
    # the same seeded script run now (--run) draws pass 2 the same figure, at its end
    fresh_folder = tmp_path / "fresh"
    fresh_folder.mkdir()
    (fresh_folder / "script.py").write_text(SCRIPT, encoding="utf-8")
    fresh = tmp_path / "fresh.svg"
    done = main("--export", str(fresh), "--run", "script.py", "--pass", "2", cwd=fresh_folder)
    assert done.returncode == 0, done.stderr
    assert (fresh_folder / "ran.txt").read_text() == "1"
    assert figures["2"] == _figure(fresh) == figures["2 end"]
    assert figures["2 at 5"] != figures["2"]  # another step
    assert figures["3 at 5"] != figures["2 at 5"]  # another pass: other numbers


def test_screenshot_and_steps_of_a_saved_session(saved, tmp_path):
    script, session, elsewhere = saved
    shot = tmp_path / "shot.png"
    done = main("--screenshot", str(shot), str(session), cwd=elsewhere)  # FILE.json form
    assert done.returncode == 0, done.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1400, 900)
    past = tmp_path / "past.png"
    done = main("--screenshot", str(past), "--file", str(session), "--pass", "9",
                cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert "warning: --pass 9 is past the last pass; showing pass 3" in done.stderr
    assert QImage(str(past)).width() == 1400
    far = tmp_path / "far.png"
    done = main("--screenshot", str(far), "--file", str(session), "--step", "999",
                cwd=elsewhere)
    assert done.returncode == 2 and not far.exists()
    (line,) = _errors(done)
    assert "--step 999 is outside 0.." in line
    handout = tmp_path / "pass1.pdf"
    done = main("--export-steps", str(handout), "--file", str(session), "--pass", "1",
                cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    pages = len(re.findall(rb"/Type\s*/Page[^s]", handout.read_bytes()))
    headless = main("--headless", "--file", str(session), "--pass", "1", "--json",
                    cwd=elsewhere)
    assert headless.returncode == 0, headless.stderr
    assert pages == len(json.loads(headless.stdout)["steps"]) > 10  # one page a step
    _nothing_ran(script, elsewhere)


def test_a_saved_script_that_raised_renders_with_exit_4(tmp_path):
    _script, session = saved_session(tmp_path / "raises", RAISES, "raises")
    out = tmp_path / "graph.svg"
    done = main("--export", str(out), "--file", str(session), cwd=tmp_path)
    assert done.returncode == 4, done.stderr
    (line,) = _errors(done)
    assert "ValueError" in line and "no more" in line
    assert out.read_bytes().startswith(b"<?xml")


def test_a_script_without_a_recording_needs_run(tmp_path):
    text = "from pathlib import Path\nPath('ran.txt').write_text('1')\nfor i in range(2):\n" \
           "    print(i)\n"
    old = tmp_path / "old.json"
    old.write_text(json.dumps(Session(text, {}, 0, "old").to_dict()))
    bare = tmp_path / "bare.py"
    bare.write_text(text, encoding="utf-8")
    outputs = (("--screenshot", "out.png"), ("--export", "out.svg"),
               ("--export-steps", "out.gif"))
    for source in (("--file", str(old)), (str(old),), ("--expr-file", str(bare))):
        for flag, name in outputs:
            done = main(flag, str(tmp_path / name), *source, cwd=tmp_path)
            assert done.returncode == 2 and done.stdout == "", (source, flag, done.stderr)
            (line,) = done.stderr.strip().splitlines()
            assert line.startswith("error: ") and "--run" in line, line
    assert not any(tmp_path.glob("out.*"))
    assert not (tmp_path / "ran.txt").exists()


def test_pass_goes_with_a_script_session(tmp_path):
    program = tmp_path / "program.json"
    program.write_text(json.dumps(Session("y = (2 * 3) ** 2", {}, 0, "p").to_dict()))
    done = main("--screenshot", str(tmp_path / "p.png"), "--file", str(program),
                "--pass", "2", cwd=tmp_path)
    assert done.returncode == 2 and not (tmp_path / "p.png").exists()
    (line,) = _errors(done)
    assert "--pass goes with --run FILE or a script's session" in line
    done = main("--screenshot", str(tmp_path / "p.png"), "--file", str(program),
                "--pass", "0", cwd=tmp_path)
    assert done.returncode == 2 and "--pass counts from 1" in done.stderr


def test_an_unreadable_recording_is_exit_2_as_headless_says(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(Session(SCRIPT, {}, 0, "bad", {"recording": {"bad": 1}}).to_dict()))
    done = spawned("--screenshot", str(tmp_path / "bad.png"), "--file", str(bad), cwd=tmp_path)
    headless = spawned("--headless", "--file", str(bad), cwd=tmp_path)
    assert done.returncode == headless.returncode == 2
    assert _errors(done) == _errors(headless) and len(_errors(done)) == 1
    assert "its recording cannot be read" in _errors(done)[0]
    assert not (tmp_path / "bad.png").exists() and not (tmp_path / "ran.txt").exists()


def _ops_drawn(path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {name for name in ("σ", "tanh", "lrelu", "softmax") if name in text}


def test_pass_k_of_a_forward_only_session_renders_group_k(tmp_path):
    """The activation lesson never calls backward(): a group per turn of its loop (group
    k + 1 applies its k-th module). --pass K draws group K, not the last group; a group
    kept only as a summary is exit 2 naming --run, as a pass is; --run --pass K keeps and
    draws it."""
    lesson = (ROOT / "resources" / "examples" / "lessons" / "20-activation-functions.py")
    script, session = saved_session(tmp_path / "forward", lesson.read_text("utf-8"), "act")
    drawn = {}
    for k in ("2", "3", None, "12"):
        out = tmp_path / f"group{k}.svg"
        done = main("--export", str(out), "--file", str(session),
                    *(("--pass", k) if k else ()), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        drawn[k] = _ops_drawn(out)
    assert drawn["2"] == {"σ"} and drawn["3"] == {"tanh"}
    assert drawn[None] == drawn["12"] == {"softmax"}  # by default the end: the last group
    done = main("--export", str(tmp_path / "g5.svg"), "--file", str(session), "--pass", "5",
                cwd=tmp_path)
    assert done.returncode == 2 and not (tmp_path / "g5.svg").exists()
    (line,) = _errors(done)
    assert "keeps only a summary of group 5 (it kept groups 1, 2, 3, 9)" in line
    assert "--run FILE --pass 5" in line
    out = tmp_path / "run5.svg"
    done = main("--export", str(out), "--run", str(script), "--pass", "5", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _ops_drawn(out) == {"lrelu"}
