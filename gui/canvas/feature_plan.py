"""What the feature-map band shows for a step: which tensors, as maps or kernels, and why.

Plain numpy (Qt only marks the sentences for translation), tested without a window.
For the current step it picks the image tensors that meet there (a conv's input,
kernels and output; the gradient G arriving from a conv's output; max-pool's routing;
dropout's mask) and the lines of text that say what they are. One sample of a batch is
shown at a time, and at most :data:`MAX_CHANNELS` maps of each tensor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP

from core.base.values import shape_text
from core.engine.trace import BackwardStep, ForwardStep, LocalGradientStep
from core.ops.conv import conv_geometry
from core.ops.pooling import argmax_cells

MAX_CHANNELS = 8
# a map of at most this many rows and columns shows its numbers; larger: a heat map
NUMBERS_UP_TO = 6
IMAGE_OPS = ("conv2d", "max_pool2d", "avg_pool2d")


@dataclass
class Group:
    """One tensor as a strip of maps (channels of one sample) or of kernels."""

    title: str
    # (maps, rows, cols) as shown
    maps: np.ndarray
    # what each map is called under it ("c0", "W[1, 0]" …)
    names: list[str]
    # channels (or kernels) not shown
    more: int = 0
    # "maps" or "kernels" (kernels: map m is W[m // C, m % C])
    kind: str = "maps"
    # the tensor's own name and full index of map m's cell (r, c): for readouts, zooms
    name: str = ""
    index_of: object = None
    # clicking a cell spells the entry out (a conv gradient)
    clickable: bool = False
    # (map, row, col) cells to light up, and cells greyed out with their reason shown
    highlight: set = field(default_factory=set)
    dimmed: set = field(default_factory=set)
    # the clicked cell
    selected: set = field(default_factory=set)
    # windows outlined on every map: (row0, col0, row1, col1), ends excluded
    windows: list = field(default_factory=list)


@dataclass
class Plan:
    groups: list[Group] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    # ((group, map, row, col), (group, map, row, col)): a gradient going somewhere
    arrows: list = field(default_factory=list)
    # how many samples the batch has (a selector shows when more than one)
    samples: int = 1
    # the step's conv node and the input position whose gradient is shown (zoomable)
    zoom: tuple | None = None


def has_images(trace) -> bool:
    """Does the band have anything to show for this trace (an image op or dropout)?"""
    return trace is not None and any(
        n.kind == "operation" and (n.op in IMAGE_OPS or n.op == "dropout")
        for n in trace.graph.nodes)


def _sample(value, sample: int) -> np.ndarray:
    a = np.asarray(value, dtype=np.float64)
    if a.ndim == 4:
        return a[min(sample, a.shape[0] - 1)]
    if a.ndim == 3:
        return a
    if a.ndim == 2:
        return a[None]
    return a.reshape(1, 1, -1)


def maps_group(title: str, name: str, value, sample: int) -> Group:
    """A tensor's channels for one sample (a 2-D tensor is one map, 1-D one row)."""
    full = np.asarray(value, dtype=np.float64)
    a = _sample(full, sample)
    shown = a[:MAX_CHANNELS]
    batch = full.ndim == 4

    def index_of(m: int, r: int, c: int) -> tuple:
        if batch:
            return (min(sample, full.shape[0] - 1), m, r, c)
        if full.ndim == 3:
            return (m, r, c)
        return (r, c) if full.ndim == 2 else (c,)

    names = [f"c{m}" for m in range(len(shown))] if full.ndim >= 3 else [""]
    return Group(f"{title}  {shape_text(full.shape)}", shown, names,
                 max(0, a.shape[0] - MAX_CHANNELS), "maps", name, index_of)


def kernels_group(title: str, name: str, value, clickable: bool = False) -> Group:
    w = np.asarray(value, dtype=np.float64)
    o, c = w.shape[:2]
    flat = w.reshape(o * c, *w.shape[2:])
    shown = flat[:MAX_CHANNELS]
    names = [f"[{m // c}, {m % c}]" for m in range(len(shown))]
    return Group(f"{title}  {shape_text(w.shape)}", shown, names,
                 max(0, o * c - MAX_CHANNELS), "kernels", name,
                 lambda m, r, col, c=c: (m // c, m % c, r, col), clickable)


def plan_for(trace, step, sample: int = 0, zoom: tuple | None = None, texts=None) -> Plan:
    """The band's content at ``step``; ``zoom`` is a clicked entry (index tuple)."""
    texts = texts or Texts()
    plan = Plan()
    if trace is None:
        return plan
    graph = trace.graph
    if step is None:
        _start(plan, graph, sample, texts)
    elif isinstance(step, ForwardStep):
        node = graph.nodes[step.node_id]
        if node.kind == "operation" and (node.op in IMAGE_OPS or node.op == "dropout"):
            _forward(plan, graph, node, sample, texts)
    elif isinstance(step, LocalGradientStep):
        source, consumer, position = step.edge
        node = graph.nodes[consumer]
        if node.op in IMAGE_OPS or node.op == "dropout":
            plan.lines.append(step.equation)
            _local(plan, graph, node, position, sample, texts)
    elif isinstance(step, BackwardStep):
        for c in step.contributions:
            node = graph.nodes[c.consumer]
            if node.op in IMAGE_OPS or node.op == "dropout":
                _backward(plan, trace, step, c, node, sample, zoom, texts)
                break
    batches = [np.shape(g)[0] for g in (graph.nodes[i].value for i in range(len(graph.nodes)))
               if np.ndim(g) == 4]
    plan.samples = max(batches, default=1)
    return plan


class Texts:
    """The band's sentences in English; the widget passes them translated."""

    start = QT_TRANSLATE_NOOP(
        "FeatureMaps", "Before the first step: what the first {op} takes in. Step on (→) to "
        "see what it makes of it.")
    conv_forward = QT_TRANSLATE_NOOP(
        "FeatureMaps", "Each output map o is Σ_c (input map c ⋆ kernel W[o, c]) + b[o]: the "
        "kernel slides over the image{geometry}.")
    pool_forward = QT_TRANSLATE_NOOP(
        "FeatureMaps", "Each output cell is the {what} of its {k} window{geometry}.")
    largest = QT_TRANSLATE_NOOP("FeatureMaps", "largest number")
    average = QT_TRANSLATE_NOOP("FeatureMaps", "average")
    dropout = QT_TRANSLATE_NOOP(
        "FeatureMaps", "mask: 0 drops an entry, 1 keeps it; kept entries are scaled by "
        "1/(1 − p) = {scale}")
    dropout_eval = QT_TRANSLATE_NOOP(
        "FeatureMaps", "eval mode (training=False): nothing is dropped, the input passes as is")
    g_is = QT_TRANSLATE_NOOP(
        "FeatureMaps", "G = the gradient arriving from the {op}'s output ({name})")
    click = QT_TRANSLATE_NOOP("FeatureMaps", "Click a cell of the gradient to spell it out.")
    maxpool_route = QT_TRANSLATE_NOOP(
        "FeatureMaps", "Each output cell's gradient goes to the first largest cell of its "
        "window (→); every other cell gets 0: moving it does not move the output.")
    avg_route = QT_TRANSLATE_NOOP(
        "FeatureMaps", "Each output cell's gradient is shared equally by the cells of its "
        "window.")


def _geometry(node) -> str:
    stride, pad = conv_geometry(node.attrs) if node.op == "conv2d" else (
        node.attrs.get("stride") or node.attrs["kernel_size"], node.attrs.get("padding", 0))
    parts = []
    if stride not in (1, (1, 1)):
        parts.append(f"stride {stride}")
    if pad not in (0, (0, 0)):
        parts.append(f"padding {pad}")
    return (", " + ", ".join(str(p) for p in parts)) if parts else ""


def _inputs(graph, node):
    return [graph.nodes[i] for i in node.inputs]


def _start(plan: Plan, graph, sample: int, texts: Texts) -> None:
    """Before the first step: the first image op's inputs that are known then (the
    images, a conv's kernels), not an empty band."""
    first = next((n for n in graph.nodes
                  if n.kind == "operation" and n.op in IMAGE_OPS), None)
    if first is None:
        return
    ins = _inputs(graph, first)
    if ins[0].is_leaf:
        plan.groups.append(maps_group(ins[0].label, ins[0].label, ins[0].value, sample))
    if first.op == "conv2d" and ins[1].is_leaf:
        plan.groups.append(kernels_group(ins[1].label, ins[1].label, ins[1].value))
    if plan.groups:
        plan.lines.append(texts.start.format(op=_op_name(first)))


def _forward(plan: Plan, graph, node, sample: int, texts: Texts) -> None:
    ins = _inputs(graph, node)
    plan.groups.append(maps_group(ins[0].label, ins[0].label, ins[0].value, sample))
    if node.op == "conv2d":
        plan.groups.append(kernels_group(ins[1].label, ins[1].label, ins[1].value))
        plan.lines.append(texts.conv_forward.format(geometry=_geometry(node)))
    elif node.op == "dropout":
        _dropout(plan, node, ins, sample, texts)
    else:
        k = node.attrs["kernel_size"]
        plan.lines.append(texts.pool_forward.format(
            what=texts.largest if node.op == "max_pool2d" else texts.average,
            k=f"{k}×{k}" if isinstance(k, int) else f"{k[0]}×{k[1]}", geometry=_geometry(node)))
    plan.groups.append(maps_group(node.label, node.label, node.value, sample))


def _dropout(plan: Plan, node, ins, sample: int, texts: Texts) -> None:
    p, training = node.attrs.get("p", 0.5), node.attrs.get("training", True)
    plan.groups.append(maps_group(ins[1].label, ins[1].label, ins[1].value, sample))
    if training and 0 < p < 1:
        plan.lines.append(texts.dropout.format(scale=f"{1 / (1 - p):.4g}"))
    else:
        plan.lines.append(texts.dropout_eval if not training else
                          texts.dropout.format(scale="1"))


def _local(plan: Plan, graph, node, position: int, sample: int, texts: Texts) -> None:
    ins = _inputs(graph, node)
    plan.groups.append(maps_group(ins[0].label, ins[0].label, ins[0].value, sample))
    if node.op == "conv2d":
        plan.groups.append(kernels_group(ins[1].label, ins[1].label, ins[1].value))
    elif node.op == "dropout":
        _dropout(plan, node, ins, sample, texts)
    plan.lines.append(texts.g_is.format(op=_op_name(node), name=node.label))


def _op_name(node) -> str:
    return {"conv2d": "conv", "max_pool2d": "max-pool", "avg_pool2d": "average pool"}.get(
        node.op, node.op)


def _backward(plan: Plan, trace, step, c, node, sample: int, zoom, texts: Texts) -> None:
    graph = trace.graph
    ins = _inputs(graph, node)
    me = graph.nodes[step.node_id]
    g = np.broadcast_to(np.asarray(c.upstream, dtype=np.float64), np.shape(node.value))
    g_name = "G"
    plan.lines.append(texts.g_is.format(op=_op_name(node), name=node.label))
    result_title = f"∂/∂{me.label}"
    if node.op == "conv2d":
        if c.position == 1:
            plan.groups.append(maps_group(ins[0].label, ins[0].label, ins[0].value, sample))
            plan.groups.append(maps_group(g_name, g_name, g, sample))
            plan.groups.append(kernels_group(result_title, me.label, c.value, clickable=True))
        elif c.position == 0:
            plan.groups.append(maps_group(g_name, g_name, g, sample))
            plan.groups.append(kernels_group(ins[1].label, ins[1].label, ins[1].value))
            group = maps_group(result_title, me.label, c.value, sample)
            group.clickable = True
            plan.groups.append(group)
        else:
            plan.groups.append(maps_group(g_name, g_name, g, sample))
            return
        plan.zoom = (step.index, c.position)
        if zoom is None:
            plan.lines.append(texts.click)
        else:
            _highlight_zoom(plan, trace, step, c, zoom, sample)
        return
    if node.op == "max_pool2d":
        _max_pool_routes(plan, node, ins, g, c, me, sample, texts)
        if zoom is None:
            plan.lines.append(texts.click)
            return
        from core.engine.expand import expand_element  # noqa: PLC0415 - on a click only

        try:  # the clicked entry first: the route sentence may not fit under it
            plan.lines.insert(1, expand_element(trace, step, zoom, step.contributions.index(c)))
        except (IndexError, ValueError):
            return
        plan.groups[-1].selected.add(tuple(zoom[-3:]) if len(zoom) >= 3 else (0, *zoom))
        return
    plan.groups.append(maps_group(g_name, g_name, g, sample))
    if node.op == "dropout":
        _dropout(plan, node, ins, sample, texts)
    else:
        plan.lines.append(texts.avg_route)
    plan.groups.append(maps_group(result_title, me.label, c.value, sample))


def _max_pool_routes(plan, node, ins, g, c, me, sample, texts) -> None:
    """G (pooled) → the input's gradient, an arrow from each G cell to its argmax cell."""
    x = np.asarray(ins[0].value, dtype=np.float64)
    _, where = argmax_cells(x, node.attrs)
    values = maps_group(ins[0].label, ins[0].label, x, sample)
    g_group = maps_group("G", "G", g, sample)
    result = maps_group(f"∂/∂{me.label}", me.label, c.value, sample)
    plan.groups += [values, g_group, result]
    where_s = _sample(where, sample) if where.ndim >= 3 else where[None]
    w = x.shape[-1]
    hit = set()
    for m in range(min(len(where_s), MAX_CHANNELS)):
        for r in range(where_s.shape[1]):
            for col in range(where_s.shape[2]):
                tr_, tc = divmod(int(where_s[m, r, col]), w)
                plan.arrows.append(((1, m, r, col), (2, m, tr_, tc)))
                hit.add((m, tr_, tc))
    result.highlight = hit
    values.highlight = set(hit)  # the largest cell of each window
    values.windows = pool_windows(node.attrs, x.shape[-2:], where.shape[-2:])
    rows, cols = result.maps.shape[1:]
    result.dimmed = {(m, r, col) for m in range(len(result.maps)) for r in range(rows)
                     for col in range(cols)} - hit
    plan.lines.append(texts.maxpool_route)
    result.clickable = True


def pool_windows(attrs, size, out) -> list[tuple[int, int, int, int]]:
    """Each pooling window inside the image, as (row0, col0, row1, col1)."""
    kernel = attrs["kernel_size"]
    kernel = (kernel, kernel) if isinstance(kernel, int) else tuple(kernel)
    stride = attrs.get("stride") or kernel
    stride = (stride, stride) if isinstance(stride, int) else tuple(stride)
    pad = attrs.get("padding", 0)
    pad = (pad, pad) if isinstance(pad, int) else tuple(pad)
    boxes = []
    for y in range(out[0]):
        for x in range(out[1]):
            r0, c0 = y * stride[0] - pad[0], x * stride[1] - pad[1]
            boxes.append((max(r0, 0), max(c0, 0), min(r0 + kernel[0], size[0]),
                          min(c0 + kernel[1], size[1])))
    return boxes


def _highlight_zoom(plan: Plan, trace, step, c, zoom, sample: int) -> None:
    """The clicked entry's terms: the cells of G and of the other factor that meet."""
    from core.engine.expand import conv_entry  # noqa: PLC0415 - only when an entry is clicked

    try:
        entry = conv_entry(trace, step, zoom, step.contributions.index(c))
    except (IndexError, ValueError):
        return
    plan.lines.append(entry.text)
    g_group = next(i for i, gr in enumerate(plan.groups) if gr.name == "G")
    other = 0 if c.position == 1 else 1  # X's maps, or the kernels
    result = len(plan.groups) - 1
    for g_cell, o_cell in entry.pairs:
        if g_cell[0] == sample:
            plan.groups[g_group].highlight.add((g_cell[1], g_cell[2], g_cell[3]))
        if c.position == 1 and o_cell[0] == sample:
            plan.groups[other].highlight.add((o_cell[1], o_cell[2], o_cell[3]))
        elif c.position == 0:
            n_in = np.shape(trace.graph.nodes[trace.graph.nodes[c.consumer].inputs[1]].value)[1]
            plan.groups[other].highlight.add((o_cell[0] * n_in + o_cell[1], o_cell[2],
                                              o_cell[3]))
    if c.position == 1:
        o, ch, i, j = zoom
        n_in = np.shape(c.value)[1]
        plan.groups[result].highlight.add((o * n_in + ch, i, j))
    else:
        plan.groups[result].highlight.add(tuple(zoom[1:]))
