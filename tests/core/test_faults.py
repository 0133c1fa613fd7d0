"""Issue 13: exits, signals, encodings and hostile files, through the real command line."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from core.engine.trace import build_trace
from core.io.session import MAX_FILE_BYTES, load_session, session_from_json
from core.language.parser import ExpressionError
from core.language.reading import MAX_PROGRAM_BYTES, read_bytes, read_program

ROOT = Path(__file__).resolve().parents[2]
MAIN = str(ROOT / "main.py")


def headless(*args: str, env: dict | None = None, timeout: float = 120, **kwargs):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, MAIN, "--headless", *args], capture_output=True,
                          timeout=timeout, cwd=ROOT, env=full_env, **kwargs)


# ---- output: exit 3, encodings, closed pipes ----------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["--json"], [], ["--json", "--no-torch"]])
def test_output_that_cannot_be_written_exits_3_with_one_line(args):
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, MAIN, "--headless", *args], stdout=full,
                                stderr=subprocess.PIPE, timeout=120, cwd=ROOT, text=True)
    assert result.returncode == 3, result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: could not write the output: No space left on device"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_exit_3_wins_over_a_torch_mismatch():
    # relu(-0.0) is -0.0 in torch: until the engine agrees this is a mismatch (exit 1);
    # either way a failed write must say 3
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, MAIN, "--headless", "--expr",
                                 "w = param(-0.0); loss = 1 / relu(w)"], stdout=full,
                                stderr=subprocess.PIPE, timeout=120, cwd=ROOT, text=True)
    assert result.returncode == 3, result.stderr


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"},
                                 {"PYTHONIOENCODING": "cp1252"},
                                 {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}])
def test_a_terminal_without_unicode_gets_ascii_forms(env):
    result = headless("--no-torch", env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode(env["PYTHONIOENCODING"] or "ascii")  # it encoded all of it
    assert "Traceback" not in result.stderr.decode("ascii", "replace")
    assert "dloss/dw = -2" in out


def test_json_stays_exact_on_an_ascii_terminal():
    result = headless("--json", "--no-torch", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.decode("ascii"))
    assert any("∂" in step["formula"] for step in data["steps"])  # \u2202, not "d"


def test_a_closed_pipe_ends_quietly():
    text = "\n".join(f"v{i} = w * {i}" for i in range(2000)) + "\nloss = v1999"
    program = "w = param(1.0)\n" + text
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL)
    result = subprocess.run([sys.executable, MAIN, "--headless", "--no-torch", "--expr",
                             program], stdout=reader.stdin, stderr=subprocess.PIPE,
                            timeout=120, cwd=ROOT, text=True)
    reader.stdin.close()
    reader.wait(timeout=30)
    assert result.returncode == 0
    assert result.stderr == ""


# ---- reading: regular files only, bounded ------------------------------------------


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "program.fifo"
    os.mkfifo(fifo)
    for flag in ("--expr-file", "--file"):
        result = headless(flag, str(fifo), "--no-torch", timeout=30, text=True)
        assert result.returncode == 2
        assert result.stderr.startswith("error: program.fifo: cannot read the file: it is "
                                        "a pipe, not a regular file")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_for_programs_and_sessions(tmp_path, device):
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    link = tmp_path / "session.json"
    link.symlink_to(device)
    for path in (device, str(link)):
        with pytest.raises(ExpressionError, match="a device or special file"):
            read_program(path)
        with pytest.raises(ExpressionError, match="a device or special file"):
            load_session(path)
    result = headless("--expr-file", device, "--no-torch", timeout=30, text=True)
    assert result.returncode == 2 and "not a regular file" in result.stderr


def _peak_rss_mb(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    code = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], "
            "capture_output=True, text=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
            "print(r.returncode); sys.stderr.write(r.stderr)")
    probe = subprocess.run([sys.executable, "-c", code, sys.executable, MAIN, "--headless",
                            *args], capture_output=True, text=True, timeout=120, cwd=ROOT)
    rss_kb, rc = probe.stdout.split()
    return subprocess.CompletedProcess(args, int(rc), "", probe.stderr), int(rss_kb) / 1024


def test_a_huge_program_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.py"
    with open(big, "wb") as handle:  # 1 GB, sparse: costs no disk
        handle.truncate(1_000_000_000)
    result, peak = _peak_rss_mb("--expr-file", str(big), "--no-torch")
    assert result.returncode == 2
    assert "larger than 8 MB" in result.stderr
    assert peak < 300, peak


def test_a_growing_file_is_read_only_to_the_limit_plus_one(tmp_path):
    # a regular file that claims a small size but keeps growing (another writer)
    path = tmp_path / "grows.py"
    path.write_bytes(b"x = 1\n")
    stop = threading.Event()

    def grow() -> None:
        with open(path, "ab") as handle:
            while not stop.is_set():
                handle.write(b"#" * 1_000_000)
                handle.flush()

    writer = threading.Thread(target=grow)
    writer.start()
    try:
        try:
            text = read_program(path)
        except ExpressionError as error:
            assert "larger than" in str(error)
        else:
            assert len(text.encode()) <= MAX_PROGRAM_BYTES
    finally:
        stop.set()
        writer.join()


def test_limits_are_the_documented_ones(tmp_path):
    assert MAX_PROGRAM_BYTES == 8_000_000
    exact = tmp_path / "exact.bin"
    exact.write_bytes(b"a" * 1000)
    assert len(read_bytes(exact, 1000)) == 1000
    with pytest.raises(ExpressionError, match="larger than 999 bytes"):
        read_bytes(exact, 999)
    assert MAX_FILE_BYTES == 20_000_000


def test_a_byte_order_mark_is_accepted_in_programs_and_sessions_alike(tmp_path):
    program = tmp_path / "bom.py"
    program.write_bytes(b"\xef\xbb\xbfw = param(1.0)\nloss = w * 3\n")
    assert read_program(program).startswith("w = param")
    session = tmp_path / "bom.json"
    data = {"format": "backprop-stepper-session", "version": 1, "text": "x = 2\nloss = x * 3"}
    session.write_bytes(b"\xef\xbb\xbf" + json.dumps(data).encode())
    assert load_session(session).text == "x = 2\nloss = x * 3"
    result = headless("--expr-file", str(program), "--json", "--no-torch", text=True)
    assert result.returncode == 0 and json.loads(result.stdout)["grads"]["w"] == 3.0
    result = headless("--file", str(session), "--json", "--no-torch", text=True)
    assert result.returncode == 0 and json.loads(result.stdout)["values"]["loss"] == 6.0


def test_duplicate_keys_in_a_session_are_refused():
    text = ('{"format": "backprop-stepper-session", "version": 1, "text": "a = 1", '
            '"text": "b = 2"}')
    with pytest.raises(ExpressionError, match="the key 'text' is given twice"):
        session_from_json(text)
    nested = ('{"format": "backprop-stepper-session", "version": 1, "text": "y = x * 2", '
              '"variables": {"x": {"role": "data", "value": 1, "value": 2}}}')
    with pytest.raises(ExpressionError, match="'value' is given twice"):
        session_from_json(nested)


# ---- smaller: warnings in our own words --------------------------------------------


def test_an_overflowing_update_is_said_in_our_words():
    result = headless("--lr", "1e308", "--train", "3", "--no-torch",
                      env={"PYTHONWARNINGS": "error"}, text=True)
    assert result.returncode == 0, result.stderr
    assert "RuntimeWarning" not in result.stderr
    assert "the learning rate is too large" in result.stderr


def test_peak_memory_helper_measures_the_child():
    # the probe must see the child's memory, not its own: a run of the lesson needs more
    # than numpy alone and less than a gigabyte
    result, peak = _peak_rss_mb("--no-torch")
    assert result.returncode == 0
    assert 20 < peak < 1000
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0


# ---- the language: nesting, names, dtypes -------------------------------------------


@pytest.mark.parametrize("terms", [402, 1000, 2500])
def test_a_flat_sum_counts_as_one_level_however_many_terms(terms):
    trace = build_trace("w = param(1.5)\nloss = " + " + ".join(["w"] * terms))
    assert float(trace.gradient(trace.graph.names["w"])) == terms
    assert float(trace.graph.output_node.value) == 1.5 * terms


def test_nesting_still_counts():
    with pytest.raises(ExpressionError, match="nested more than 400 levels"):
        build_trace("w = param(1.0)\ny = " + "w ** " * 402 + "w")
    build_trace("w = param(1.0)\ny = " + "w * (" * 150 + "w" + ")" * 150)


def test_names_up_to_100_characters_are_fine_and_longer_ones_are_refused_quickly():
    name = "a" * 100
    trace = build_trace(f"{name} = param(2.0)\nloss = {name} * {name}")
    assert float(trace.gradient(trace.graph.names[name])) == 4.0
    huge = "b" * 100_000
    start = time.perf_counter()
    with pytest.raises(ExpressionError) as info:
        build_trace(f"w = param(1.0)\n{huge} = w * 2\nloss = {huge} * w")
    assert time.perf_counter() - start < 1.0
    assert info.value.line == 2 and info.value.column == 1
    assert "longer than 100 characters (100,000)" in info.value.message


@pytest.mark.parametrize("dtype", ["torch.float32", "torch.float", "torch.float64",
                                   "torch.double", "torch.long", "torch.int64"])
def test_known_dtypes_are_read(dtype):
    trace = build_trace(f"x = torch.tensor([1.0, 2.0], dtype={dtype})\n"
                        "w = torch.tensor(3.0, requires_grad=True)\nloss = sum(x * w)")
    assert float(trace.gradient(trace.graph.names["w"])) == 3.0


def test_tables_mode_is_linear_in_what_it_prints():
    # w is used 3,000 times: its backward step is one very long equation; padding every
    # row to it made the tables quadratic (56 s at 50,000 nodes)
    from core.io.cli import render_tables

    text = "w = param(0.5)\n" + "\n".join(f"v{i} = w * {i + 1}" for i in range(3000)) \
        + "\nloss = " + " + ".join(f"v{i}" for i in range(0, 3000, 10))
    trace = build_trace(text)
    equations = sum(len(s.equation if s.formula else s.text) for s in trace.steps)
    rendered = render_tables(trace, {}, None)
    assert len(rendered) < 2 * equations + 200 * len(trace.steps)
    assert max(len(line) for line in rendered.splitlines()) < equations
