"""Scripts run as Python with real torch through ``--headless --run``: their prints are
``python FILE``'s byte for byte, every pass has nodes and no mismatch (issue 20), and an
in-place op aliases as torch's does (issue 21)."""

from __future__ import annotations

import pytest

from tests.core.record.record_support import LESSONS, SCRIPTS

LESSON_FILES = sorted(LESSONS.glob("1*.py"))


def prints_of(result: dict) -> bytes:
    return "".join(line + "\n" for line in result["prints"]).encode("utf-8")


@pytest.mark.parametrize("path", LESSON_FILES + [SCRIPTS / "course_bits.py",
                                                  SCRIPTS / "adam_mlp.py"],
                         ids=lambda p: p.stem)
def test_prints_are_pythons_and_every_pass_matches(runs, path):
    plain, (status, result) = runs(path)
    assert prints_of(result) == plain.stdout
    assert set(result) == {"prints", "output_dropped", "stderr", "exit", "passes", "forward",
                           "parameters", "steps"}
    if plain.returncode:
        # lesson 14 updates a leaf outside no_grad: torch's own error, at its line
        assert status == 4
        assert result["exit"]["status"] == "raised"
        assert result["exit"]["error"]["type"] == "RuntimeError"
        line = result["exit"]["error"]["line"]
        assert "w -= " in path.read_text().splitlines()[line - 1]
        return
    assert status == 0, result["exit"]
    if "backward()" not in path.read_text():  # gradients by hand: the forward ops only
        assert result["passes"] == [] and result["forward"]["nodes"] > 0
        return
    assert result["passes"], "a training script records its backward() calls"
    assert result["forward"]["nodes"] == 0
    for p in result["passes"]:
        assert p["nodes"] > 0
        if p["kept"]:
            assert p["check"]["compared"] > 0
            assert p["check"]["mismatches"] == 0, p
    assert [p["index"] for p in result["passes"]] == list(range(1, len(result["passes"]) + 1))
    assert result["steps"]
    assert result["parameters"]


def test_update_phase_is_the_optimizer_s(runs):
    _, (status, result) = runs(SCRIPTS / "adam_mlp.py")
    assert status == 0
    updates = [s for s in result["steps"] if s["phase"] == "update"]
    assert {s["target"] for s in updates} == {"model.l1.weight", "model.l1.bias",
                                              "model.l2.weight", "model.l2.bias"}
    assert "m_hat" in updates[0]["formula"]
    losses = [p["loss"] for p in result["passes"]]
    printed = [float(line.split(": ")[1]) for line in result["prints"]]
    assert losses == pytest.approx(printed, abs=1e-5)


def test_in_place_op_aliases_as_torch(runs):
    plain, (status, result) = runs(SCRIPTS / "aliasing.py")
    assert plain.stdout == b"8.0 4.0\n"
    assert prints_of(result) == plain.stdout
    assert status == 0
    (only,) = result["passes"]
    assert only["loss"] == 8.0
    assert only["check"]["mismatches"] == 0
    grads = {s["node"]: s["value"] for s in result["steps"] if s["phase"] == "backward"}
    # g is h: loss = 2 · (w · x + 2), so ∂loss/∂h@1 (w · x) is 2 and ∂loss/∂w = 2 · x
    assert grads["h@1"] == 2.0 and grads["w"] == 4.0


def test_forward_only_script_has_forward_nodes(runs):
    plain, (status, result) = runs(SCRIPTS / "forward_only.py")
    assert prints_of(result) == plain.stdout
    assert status == 0
    assert result["passes"] == []
    assert result["forward"]["nodes"] >= 5  # x * 2, relu, x * 2, tanh, softmax, sum


def test_script_that_raises_is_exit_4_at_its_line(runs):
    plain, (status, result) = runs(SCRIPTS / "raises.py")
    assert prints_of(result) == plain.stdout == b"before\n"
    assert status == 4
    assert result["exit"] == {"status": "raised", "error": {
        "type": "ValueError", "message": "the script's own error", "line": 7}}
    assert result["passes"][0]["check"]["mismatches"] == 0  # recorded before it raised
    assert any("ValueError" in line for line in result["stderr"])
