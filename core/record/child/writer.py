"""The record folder: .npy records with a hand-written header, JSON written atomically,
and the stdout counter (torch and the standard library only)."""

from __future__ import annotations

import ctypes
import json
import os
import weakref

import torch

DTYPES = {torch.float32: "<f4", torch.float64: "<f8", torch.float16: "<f2",
          torch.int64: "<i8", torch.int32: "<i4", torch.int16: "<i2", torch.int8: "|i1",
          torch.uint8: "|u1", torch.bool: "|b1"}


def summarize(t) -> dict:
    """Shape, min, max, mean and 16 samples: what a tensor too big to keep shows."""
    out = {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", "")}
    try:
        f = t.detach().float()
        if f.numel():
            out.update(min=f.min().item(), max=f.max().item(), mean=f.mean().item(),
                       norm=f.norm().item())
            flat = f.reshape(-1)
            step = max(1, flat.numel() // 16)
            out["thumbnail"] = flat[::step][:16].tolist()
    except Exception:  # noqa: BLE001 - a summary never stops the script
        pass
    return out


class Writer:
    """The record folder: .npy records with a hand-written header, JSON written atomically.
    A pass's tensors go to one file (``t/000007.bin@OFFSET``): a file each costs more."""

    def __init__(self, folder: str, budget_bytes: int, max_entries: int):
        self.folder, self.budget, self.max_entries = folder, budget_bytes, max_entries
        self.used, self.count, self.pack = 0, 0, None  # pack: [fd, name, offset] while open
        self.written: dict = {}  # id(own copy) -> (weakref, file): each copy written once
        os.makedirs(os.path.join(folder, "t"), exist_ok=True)

    def fits(self, nbytes: int) -> bool:
        return self.used + nbytes <= self.budget

    def tensor(self, t, charge: bool = True):
        """A reference to ``t`` written as .npy, or its summary when it cannot be kept."""
        if t is None:
            return None
        own = "_bps_copy" in t.__dict__
        if own:
            hit = self.written.get(id(t))
            if hit is not None and hit[0]() is t:
                return hit[1]
        name = self._write(t.detach(), charge)
        if own and isinstance(name, str):
            self.written[id(t)] = (weakref.ref(t), name)
        return name

    def _write(self, t, charge: bool):
        if t.numel() > self.max_entries or t.is_complex() or t.is_sparse:
            return {"summary": summarize(t)}
        t = t.cpu()  # itself when it is on the CPU
        t = (t if t.dtype in DTYPES else t.float()).contiguous()
        nbytes = t.numel() * t.element_size()
        if charge and not self.fits(nbytes):
            return {"summary": summarize(t)}
        self.used += nbytes if charge else 0
        header = f"{{'descr': '{DTYPES[t.dtype]}', 'fortran_order': False, " \
                 f"'shape': {tuple(t.shape)!r}, }}"
        header = (header + " " * (64 - (10 + len(header) + 1) % 64) + "\n").encode("latin1")
        # straight from the tensor's memory: no Python file object, no copy
        parts = [b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header,
                 (ctypes.c_char * nbytes).from_address(t.data_ptr()) if nbytes else b""]
        if self.pack is not None:
            fd, name, offset = self.pack
            _write_all(fd, parts)
            self.pack[2] += len(parts[0]) + nbytes
            return f"{name}@{offset}"
        self.count += 1
        name = f"t/{self.count:06d}.npy"
        fd = self._open(name)
        try:
            _write_all(fd, parts)
        finally:
            os.close(fd)
        return name

    def _open(self, name: str) -> int:
        return os.open(os.path.join(self.folder, name),
                       os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)

    def packed(self, name: str, build) -> None:
        """The JSON ``build()`` makes, as ``name``, its tensors in one file written first."""
        self.count += 1
        pack = f"t/{self.count:06d}.bin"
        self.pack = [self._open(pack), pack, 0]
        try:
            data = build()
        finally:
            os.close(self.pack[0])
            if not self.pack[2]:
                os.remove(os.path.join(self.folder, pack))
            self.pack = None
        self.json(name, data)

    def json(self, name: str, data) -> None:
        path = os.path.join(self.folder, name)
        text = json.dumps(data, allow_nan=True)  # dumps uses the C encoder, dump does not
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(path + ".tmp", path)


def _write_all(fd: int, parts: list) -> None:
    for part in parts:
        view = memoryview(part).cast("B")
        while view:
            view = view[os.write(fd, view):]


class CountingOut:
    """sys.stdout as it was, counting the bytes printed (node's ``stdout_bytes``)."""

    def __init__(self, stream):
        self._stream, self.count = stream, 0

    def write(self, s):
        self.count += len(s) if s.isascii() else len(s.encode("utf-8", "surrogateescape"))
        return self._stream.write(s)

    def __getattr__(self, name):
        return getattr(self._stream, name)
