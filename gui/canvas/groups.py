"""A training script's function calls on the canvas: a soft band under the nodes one call
computed (``forward()``, ``model: nn.Linear``), labelled with the call's name.

The band follows the call's own nodes and the edges between them, so it never seems to
hold a node the call did not compute. Its label is placed with every other label
(:mod:`gui.canvas.placement`), so it collides with none.
"""

from __future__ import annotations

import numpy as np
from matplotlib.path import Path
from matplotlib.transforms import IdentityTransform

from gui.canvas.measure import text_size
from gui.support.theme import CALL_BAND as BAND

GROUP_FONT = 9.0


def call_groups(groups: dict[int, str], edges) -> list[tuple[str, list[int]]]:
    """(label, member nodes) per call: nodes with the same label that edges join."""
    parent = {v: v for v in groups}

    def root(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for s, t, _ in edges:
        if s in groups and t in groups and groups[s] == groups[t]:
            parent[root(s)] = root(t)
    found: dict[int, list[int]] = {}
    for v in sorted(groups):
        found.setdefault(root(v), []).append(v)
    return [(groups[members[0]], members) for members in found.values()]


def label_size(text: str, m: float) -> tuple[float, float]:
    return text_size(text, GROUP_FONT * m, False)


def candidates(members: list[int], pos: np.ndarray, above: np.ndarray, below: np.ndarray,
               w: float, h: float, gap: float) -> list[tuple[float, float]]:
    """Above the call's nodes (over their value labels), then below, then further out."""
    cands = []
    for k in range(3):
        for v in members:
            x, y = pos[v]
            lift = gap + h / 2 + k * (h + gap)
            cands.append((x, y + above[v] + lift))
            cands.append((x, y - below[v] - lift))
    return cands


def band_path(scene, geometry) -> tuple[Path, float] | None:
    """The bands of every call in display space, and their stroke width (pixels)."""
    if not scene.call_groups:
        return None
    centres = geometry.centres
    verts, codes = [], []
    width = 0.0
    for _, members in scene.call_groups:
        inside = set(members)
        width = max(width, float(2 * geometry.half[members].max()))
        for v in members:
            verts += [centres[v], centres[v]]
            codes += [Path.MOVETO, Path.LINETO]
        for e, (s, t, _) in enumerate(scene.edges):
            if s in inside and t in inside:
                line = geometry.edge_lines[e]
                verts += [centres[s], *line[1:-1], centres[t]]
                codes += [Path.MOVETO] + [Path.LINETO] * (len(line) - 1)
    path = Path(np.array(verts, float), np.array(codes, Path.code_type))
    path.should_simplify = False  # the same pixels in a pan's strip (see artists.py)
    return path, width


def draw_bands(scene, theme, renderer, geometry, clip) -> None:
    """Under the nodes: a round-capped stroke along each call's nodes and edges (of
    ``scene``, placed by ``geometry``), clipped to ``clip`` (display pixels)."""
    made = band_path(scene, geometry)
    if made is None:
        return
    path, width = made
    gc = renderer.new_gc()
    gc.set_clip_rectangle(clip)
    gc.set_foreground(BAND[theme.dark][0])
    gc.set_linewidth(width / geometry.ppt + 14 * geometry.scale)  # points
    gc.set_capstyle("round")
    gc.set_joinstyle("round")
    renderer.draw_path(gc, path, IdentityTransform())
    gc.restore()

