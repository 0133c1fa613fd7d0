"""A recording inside a session (core.record.saved): what a crafted session can hold is
refused with RecordError before any file is written outside the caller's folder."""

from __future__ import annotations

import json
import struct
import zlib

import numpy as np
import pytest

from core.record.recording import RecordError
from core.record.saved import restore_recording, saved_recording


def _record(folder):
    (folder / "t").mkdir(parents=True)
    np.save(folder / "t" / "000001.npy", np.float32(2.0))
    np.save(folder / "t" / "000002.npy", np.array([[1.5, -2.0]], dtype=np.float32))
    nodes = [{"id": 1, "op": None, "kind": "parameter", "name": "w", "inputs": [],
              "kwargs": {}, "line": 2, "module": None, "shape": [], "dtype": "float32",
              "value": "t/000001.npy", "grad": None, "stdout_bytes": 0},
             {"id": 2, "op": "Tensor.__mul__", "kind": "operation", "name": "loss",
              "inputs": [1, {"const": 3.0}], "kwargs": {}, "line": 3, "module": None,
              "shape": [1, 2], "dtype": "float32", "value": "t/000002.npy", "grad": None,
              "stdout_bytes": 4}]
    (folder / "pass-000001.json").write_text(json.dumps(
        {"index": 1, "loss": 6.0, "nodes": nodes, "output": 2, "optimizer": None,
         "zero_grad": [], "stdout_bytes_start": 0, "stdout_bytes_end": 4}))
    (folder / "summary.json").write_text(json.dumps(
        {"passes": [{"index": 1, "loss": 6.0, "kept": True, "nodes": 2}],
         "forward": {"nodes": 0}, "parameters": {"w": "t/000001.npy"},
         "exit": {"status": "ok"}, "plots": []}))


class Run:
    status, error, stdout_text, stderr_lines, elapsed_s = "ok", None, "hi\n", [], 1.25


def test_round_trip_keeps_values_and_dtypes(tmp_path):
    _record(tmp_path / "a")
    data = json.loads(json.dumps(saved_recording(tmp_path / "a", Run(), [1])))
    run, recording = restore_recording(data, tmp_path / "b")
    assert run.stdout_text == "hi\n" and run.elapsed_s == 1.25
    record = recording.load_pass(1)
    value = record.node(2).value
    assert value.dtype == np.float32 and value.tolist() == [[1.5, -2.0]]
    assert recording.parameters["w"] == np.float32(2.0)


def _figure(folder, name="001"):
    """A figure as the bootstrap saves plt.show()'s (plots/NNN.png), named in the summary."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + \
            struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + bytes([10, 20, 30]) * 8 for _ in range(6))  # 8×6 RGB
    (folder / "plots").mkdir(exist_ok=True)
    (folder / "plots" / f"{name}.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 6, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    summary = json.loads((folder / "summary.json").read_text())
    summary["plots"].append(f"plots/{name}.png")
    (folder / "summary.json").write_text(json.dumps(summary))
    return (folder / "plots" / f"{name}.png").read_bytes()


def test_the_scripts_figures_are_kept_as_png(tmp_path, monkeypatch):
    _record(tmp_path / "a")
    png = _figure(tmp_path / "a")
    data = json.loads(json.dumps(saved_recording(tmp_path / "a", Run(), [1])))
    _run, recording = restore_recording(data, tmp_path / "b")
    assert recording.plots == ["plots/001.png"]
    assert (tmp_path / "b" / "plots" / "001.png").read_bytes() == png
    del data["plots"]  # a session saved before figures were kept: none, no error
    _run, recording = restore_recording(data, tmp_path / "c")
    assert not (tmp_path / "c" / "plots").exists()
    monkeypatch.setattr("core.record.saved.BUDGET_BYTES", 200)  # no room: left out
    assert saved_recording(tmp_path / "a", Run(), [1])["plots"] == {}


def test_passes_that_do_not_fit_keep_their_summary(tmp_path, monkeypatch):
    _record(tmp_path / "a")
    monkeypatch.setattr("core.record.saved.BUDGET_BYTES", 100)
    data = saved_recording(tmp_path / "a", Run(), [1])
    assert data["passes"] == {}
    _run, recording = restore_recording(data, tmp_path / "b")
    assert [p.kept for p in recording.passes] == [False]
    assert recording.load_pass(1) is None


@pytest.mark.parametrize("change", [
    lambda d: d["tensors"].update({"t/../../evil.npy": d["tensors"]["t/000001.npy"]}),
    lambda d: d["tensors"]["t/000002.npy"].update(dtype="object"),
    lambda d: d["tensors"]["t/000002.npy"].update(shape=[3, 2]),
    lambda d: d["tensors"]["t/000002.npy"].update(data=["1", 2]),
    lambda d: d["passes"].update({"../x": {}}),
    lambda d: d.update(format=99),
    lambda d: d.update(status="fine"),
    lambda d: d["plots"].update({"plots/../../evil.png": d["plots"]["plots/001.png"]}),
    lambda d: d["plots"].update({"plots/002.png": "bm90IGEgUE5H"}),  # "not a PNG"
    lambda d: d["plots"].update({"plots/002.png": "%%%"}),
    lambda d: d.update(plots=["plots/001.png"]),
])
def test_crafted_recordings_are_refused(tmp_path, change):
    _record(tmp_path / "a")
    _figure(tmp_path / "a")
    data = json.loads(json.dumps(saved_recording(tmp_path / "a", Run(), [1])))
    change(data)
    with pytest.raises(RecordError):
        restore_recording(data, tmp_path / "b")
    assert not (tmp_path / "evil.npy").exists() and not (tmp_path / "x").exists()
