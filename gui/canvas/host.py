"""What the layers read from the canvas that draws them: a typing Protocol.

The layers (artists.py) draw for a :class:`~gui.canvas.widget.GraphCanvas`, which
imports them; naming the widget back, even for type checking only, made an import
circle (artists ⇄ widget ⇄ blit, issue 19). The layers name this Protocol instead, and
only the widget knows all its parts.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np


class CanvasHost(Protocol):
    """The scene's numbers (world points), the view's axes, and the few methods the
    layers call back (see GraphCanvas for what each means)."""

    ax: Any
    figure: Any
    trace: Any
    geometry: Any
    scene: Any  # gui.canvas.scene.Scene: the graph's numbers
    theme: Any  # gui.canvas.scene.Theme: its colours (``colours`` and ``dark`` read it)
    view: Any  # gui.canvas.view.View: where it looks
    labels: Any  # gui.canvas.label_artists.Labels: its texts
    colours: dict[str, str]
    dark: bool
    hint: bool
    out_of_date: bool
    counter: Any
    pos: np.ndarray
    kind: np.ndarray
    is_op: np.ndarray
    half_pt: np.ndarray
    radius_pt: np.ndarray
    edges: list[tuple[int, int, int]]
    edge_src: np.ndarray
    edge_dst: np.ndarray
    edge_needed: np.ndarray
    edge_paths: list[np.ndarray]
    edge_after0: np.ndarray
    edge_before2: np.ndarray
    edge_mid_world: np.ndarray
    bent_edges: list[int]
    name_pos: dict
    call_groups: list
    group_pos: dict

    def min_text_zoom(self) -> float: ...

    def cut_labels(self) -> set: ...

    def draw_dynamic(self, renderer, keys) -> None: ...
