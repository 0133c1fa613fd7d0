"""Which labels the Whole-graph overview draws (issue 24).

At an overview's zoom only the current step and its neighbours keep their labels, and
those are drawn at reading size: larger than the graph's spacing there, so a
neighbour's grid could sit on the current step's label. The current step's own labels
always stay; a neighbour's only where it overlaps none already placed.
"""

from __future__ import annotations

from gui.canvas.scene import _HIGHLIGHT, _LOCAL


def overview_keys(canvas) -> set[tuple[int, int]]:
    """The dynamic labels (layer, index) the overview shows now; worked out once per
    step and view."""
    g = canvas.geometry
    # the geometry itself, not its id: a new one may get a freed one's id, and then
    # another view's choice came back (a neighbour's grid missing in Whole graph)
    stamp = (g, canvas._position, canvas._current_key,
             tuple(len(keys) for keys in canvas._shown.values()))
    if getattr(canvas, "_overview_stamp", None) == stamp:
        return canvas._overview_cache
    kind, current = canvas._current_key or (None, None)
    own, others = [], []
    for layer, keys in canvas._shown.items():
        if layer == _HIGHLIGHT:
            continue
        focus = canvas._focus_edges if layer == _LOCAL else canvas._focus_nodes
        in_view = g.edge_in_view if layer == _LOCAL else g.in_view
        for index in sorted(keys & focus):
            if (layer, index) in canvas._cut or not in_view[index]:
                continue
            mine = index == current and (kind == "edge") == (layer == _LOCAL)
            (own if mine else others).append((layer, index))
    renderer = canvas.get_renderer()
    shown, boxes = set(), []
    for key in own + others:
        box = canvas.labels.dynamic_text(key).pixel_extent(renderer)
        if key in own or not any(_overlaps(box, other) for other in boxes):
            shown.add(key)
            boxes.append(box)
    canvas._overview_stamp, canvas._overview_cache = stamp, shown
    return shown


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
