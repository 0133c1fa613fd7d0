"""What the artists read from the canvas that draws them: a typing Protocol.

The artists (artists.py, legend.py) draw for a :class:`~gui.canvas.widget.GraphCanvas`,
which imports them; naming the widget back, even for type checking only, made an import
circle (artists ⇄ widget ⇄ blit, issue 19). They name this Protocol instead, and only
the widget knows all its parts. The layers they draw take the canvas's parts, not the
canvas: geometry.py (scene, viewport), label_artists.py (scene, viewport, theme),
groups.py's bands (scene, theme), tangent_layer.py (scene).
"""

from __future__ import annotations

from typing import Any, Protocol


class CanvasHost(Protocol):
    """The canvas's parts the artists read (see GraphCanvas for what each means)."""

    ax: Any
    figure: Any
    trace: Any
    geometry: Any  # gui.canvas.geometry.Geometry: the last draw's
    scene: Any  # gui.canvas.scene.Scene: the graph's numbers
    theme: Any  # gui.canvas.scene.Theme: its colours
    view: Any  # gui.canvas.view.View: where it looks
    labels: Any  # gui.canvas.label_artists.Labels: its texts
    tangents: Any  # gui.canvas.tangent_labels.Tangents: forward mode's
    blitter: Any  # gui.canvas.blit.Blitter: its fast steps
    hint: bool
    out_of_date: bool
    translate_legend: bool
    counter: Any

    def cut_labels(self) -> set: ...
