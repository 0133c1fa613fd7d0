"""Programs that several test folders use, with their answers worked out by hand."""

from __future__ import annotations

REUSE = "a = param(2.0)\nb = param(3.0)\nc = (a + b) * (b + 1)"
MSE = "w = param(0.0)\nx = [1,2,3,4]\ny = [2,4,6,8]\nloss = mean((w*x - y)**2)"
SQUARE = "x = param(3.0)\ny = x * x"


def chain_program(links: int, chains: int) -> str:
    """``chains`` parallel chains of ``links`` steps each, summed into one loss."""
    lines, ends = [], []
    for c in range(chains):
        lines.append(f"t{c}_0 = param(0.5)")
        for i in range(1, links + 1):
            lines += [f"p{c}_{i} = param(0.3)", f"x{c}_{i} = 2.0",
                      f"t{c}_{i} = t{c}_{i - 1} + p{c}_{i} * x{c}_{i}"]
        ends.append(f"t{c}_{links}")
    lines.append("loss = " + " + ".join(ends))
    return "\n".join(lines)


def chain(n_ops: int) -> str:
    """A program of ``n_ops`` operations, one per line, each with a fork and a parameter."""
    lines = ["w = param(0.5)", "x = 1.5", "v0 = x * w"]
    for i in range(1, n_ops):
        op = ("v{p} + w", "relu(v{p})", "v{p} * w", "v{p} - x")[i % 4]
        lines.append(f"v{i} = " + op.format(p=i - 1))
    return "\n".join(lines) + "\n"


def chain_answer(n_ops: int) -> tuple[float, float]:
    """The last value of :func:`chain` and its ∂/∂w, in plain Python floats (no engine)."""
    v, dv = 1.5 * 0.5, 1.5
    for i in range(1, n_ops):
        kind = i % 4
        if kind == 0:
            v, dv = v + 0.5, dv + 1
        elif kind == 1:
            v, dv = (v, dv) if v > 0 else (0.0, 0.0)
        elif kind == 2:
            v, dv = v * 0.5, dv * 0.5 + v
        else:
            v, dv = v - 1.5, dv
    return v, dv


def vector_chain(links: int, size: int = 5_000) -> str:
    """``links`` sin-and-scale links over a ``size``-entry vector: seconds of numpy."""
    lines = ["w = param(0.5)", f"x = torch.linspace(0, 1, {size})", "h0 = w * x"]
    lines += [f"h{i} = sin(h{i - 1}) * w" for i in range(1, links)]
    return "\n".join(lines + [f"loss = sum(h{links - 1})"]) + "\n"
