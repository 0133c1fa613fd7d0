"""What the training loop's speed under the recorder rests on (issue 20 §2): a pass's graph
and tensors go when the pass is done, and a kept pass's tensors go to one file, read back
(and restored from a session) exactly."""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pytest
import torch

from core.record.bootstrap import Writer
from core.record.recording import RecordError, load_recording, tensor, write_tensor
from core.record.saved import restore_recording, saved_recording
from tests.core.record.record_support import record_dir

#: each pass's hidden value watched by a weak reference; the script prints how many of
#: them are alive after each pass (the recorder may hold the running and the last pass)
LOOP = textwrap.dedent("""\
    import gc, weakref
    import torch
    torch.manual_seed(0)
    w = torch.randn(3, 2, requires_grad=True)
    x = torch.randn(4, 3)
    opt = torch.optim.SGD([w], lr=0.1)
    alive = []
    for step in range(12):
        opt.zero_grad()
        h = (x @ w).relu()
        alive.append(weakref.ref(h))
        loss = h.pow(2).sum()
        loss.backward()
        opt.step()
        del h, loss
        gc.collect()
        print(sum(r() is not None for r in alive))
    """)


@pytest.fixture(scope="module")
def loop_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("loop")
    script = folder / "loop.py"
    script.write_text(LOOP)
    done = record_dir(script, folder / "record")
    assert done.returncode == 0, done.stderr
    return done.stdout.decode().split(), folder / "record"


def test_a_pass_s_graph_and_tensors_go_when_the_pass_is_done(loop_run):
    # the gradient hook on each op's autograd node once held its node, which held the
    # output and so the hook: a cycle through C++ that gc cannot see, and every pass's
    # graph stayed until the run ended (12 alive after 12 passes)
    alive, _ = loop_run
    assert len(alive) == 12
    assert max(int(n) for n in alive) <= 2


def test_kept_passes_write_one_tensor_file_each(loop_run):
    _, out = loop_run
    kept = sorted(p.name for p in out.glob("pass-*.json"))
    assert kept == ["pass-000001.json", "pass-000002.json", "pass-000003.json",
                    "pass-000012.json"]
    files = sorted(p.name for p in (out / "t").iterdir())
    assert all(name.endswith(".bin") for name in files)
    assert len(files) <= len(kept) + 1  # and one for the parameters at the end
    recording = load_recording(out)
    last = recording.load_pass(12)
    loss = last.node(last.output)
    assert loss.value is not None and loss.grad is not None
    assert recording.passes[-1].loss == pytest.approx(float(loss.value), rel=1e-6)
    assert set(recording.parameters) == {"w"}


def test_a_packed_tensor_reads_back_as_written(tmp_path):
    writer = Writer(str(tmp_path), 2**20, 1000)
    values = [torch.tensor(2.5), torch.arange(6.0).reshape(2, 3), torch.tensor([[1, 2]]),
              torch.tensor([True, False]), torch.randn(3, dtype=torch.float64),
              torch.zeros(0, 3), torch.arange(12.0).reshape(3, 4).t()]
    refs = []
    writer.packed("pass-000001.json", lambda: {"refs": [refs.append(writer.tensor(v))
                                                        or refs[-1] for v in values]})
    assert json.loads((tmp_path / "pass-000001.json").read_text())["refs"] == refs
    assert len({ref.split("@")[0] for ref in refs}) == 1
    for ref, value in zip(refs, values, strict=True):
        loaded = tensor(tmp_path, ref)
        assert loaded.dtype == value.numpy().dtype
        assert np.array_equal(loaded, value.numpy())


@pytest.mark.parametrize("ref", ["t/000001.bin", "t/000001.bin@", "t/000001.bin@-1",
                                 "t/000001.bin@1@2", "t/000001.npy@0", "../t/000001.bin@0"])
def test_only_packed_references_the_bootstrap_makes_are_read(tmp_path, ref):
    writer = Writer(str(tmp_path), 2**20, 1000)
    writer.packed("pass-000001.json", lambda: {"x": writer.tensor(torch.ones(3))})
    assert tensor(tmp_path, "t/000001.bin@0").tolist() == [1.0, 1.0, 1.0]
    with pytest.raises(RecordError):
        tensor(tmp_path, ref)


def test_a_packed_reference_past_its_file_or_into_its_data_is_refused(tmp_path):
    writer = Writer(str(tmp_path), 2**20, 1000)
    refs = []
    writer.packed("pass-000001.json", lambda: refs.append(writer.tensor(torch.ones(64))))
    name, offset = refs[0].split("@")
    size = (tmp_path / name).stat().st_size
    for bad in (size, size + 64, int(offset) + 128):
        with pytest.raises(RecordError):
            tensor(tmp_path, f"{name}@{bad}")
    (tmp_path / name).write_bytes((tmp_path / name).read_bytes()[:-8])  # cut short
    with pytest.raises(RecordError):
        tensor(tmp_path, refs[0])


def test_a_session_restores_packed_tensors_byte_for_byte(loop_run, tmp_path):
    _, out = loop_run
    data = json.loads(json.dumps(saved_recording(out, None, [12, 1, 2, 3])))
    _, restored = restore_recording(data, tmp_path / "restored")
    original = load_recording(out)
    for k in (1, 2, 3, 12):
        old, new = original.load_pass(k), restored.load_pass(k)
        for a, b in zip(old.nodes, new.nodes, strict=True):
            for x, y in ((a.value, b.value), (a.grad, b.grad)):
                assert (x is None) == (y is None)
                if x is not None:
                    assert x.dtype == y.dtype and np.array_equal(x, y)
    # every record the session holds sits at its offset with the bootstrap's own header
    for ref in data["tensors"]:
        name, offset = ref.split("@")
        start = int(offset)
        original_bytes = (out / name).read_bytes()[start:]
        length = 10 + int.from_bytes(original_bytes[8:10], "little") + tensor(out, ref).nbytes
        assert (tmp_path / "restored" / name).read_bytes()[start:start + length] == \
            original_bytes[:length]


def test_write_tensor_refuses_a_name_the_bootstrap_never_makes(tmp_path):
    with pytest.raises(RecordError):
        write_tensor(tmp_path, "../x.bin@0", np.zeros(2))
