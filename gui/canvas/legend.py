"""The legend in the strip under the graph, and the theme (light or dark) it is built in.

:class:`LegendLayer` draws the entries (a marker and its word, wrapped onto more rows on
a narrow canvas) or a note in their place ("out of date", the fit hint, the overview's
hint, the presentation counter). :func:`build_legend` makes their texts in the current
language and colours; :func:`apply_theme` colours the canvas again and drops every text
made in the old colours (they are made again on demand).
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import IdentityTransform

from gui.canvas import label_text
from gui.canvas.artists import rgba, rounded_boxes
from gui.canvas.host import CanvasHost
from gui.canvas.scene import BORDER, LEGEND_HEIGHT


def wrap_note(text: Text, renderer, room: float) -> None:
    """The note on one line if it fits ``room`` pixels, else broken between words
    onto as few lines as fit (a word wider than the room keeps a line to itself)."""
    whole = getattr(text, "whole_text", None)
    if whole is None or whole.replace("\n", " ") != text.get_text().replace("\n", " "):
        whole = text.whole_text = text.get_text().replace("\n", " ")
    key = (round(room), renderer.dpi, whole)
    if getattr(text, "wrapped_for", None) == key:
        return
    text.wrapped_for = key

    def width(line: str) -> float:
        text.set_text(line)
        return text.get_window_extent(renderer).width

    lines: list[str] = []
    for word in whole.split(" "):
        if lines and width(f"{lines[-1]} {word}") <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    text.set_text("\n".join(lines))


class LegendLayer(Artist):
    """A one-line legend in the strip under the graph, drawn from cached texts."""

    zorder = 10

    def __init__(self, canvas: CanvasHost):
        super().__init__()
        self.canvas = canvas
        self.entries: list[tuple[str, str, Text, Text]] = []  # marker, role, long, short
        self.drawn: list[Text] = []  # the texts of the last draw (long or short ones)
        self._widths: dict[tuple[int, float], list[float]] = {}
        #: one-line notes that take the strip's place: "stale" (out of date), "hint"
        self.notes: dict[str, Text] = {}
        self._spacing = 14.0  # points between entries, closer with the short labels

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self.entries:
            return
        ppt = renderer.points_to_pixels(1.0)
        figure = self.canvas.figure.bbox
        strip = max(self.canvas.ax.bbox.y0 - figure.y0, figure.height * LEGEND_HEIGHT)
        y = figure.y0 + strip / 2
        g = self.canvas.geometry
        overview = g is not None and not g.show_text and self.canvas.trace is not None
        note = ("stale" if self.canvas.out_of_date else "counter" if self.canvas.counter
                else "overview" if overview else "hint" if self.canvas.hint else None)
        if note is not None and note in self.notes:
            text = self.notes[note]
            if note == "counter":
                text.set_text(self.canvas.counter())
            else:  # wrapped on a narrow canvas, never cut at both ends (issue 24)
                wrap_note(text, renderer, figure.width - 8 * ppt)
            text.set_position((figure.x0 + figure.width / 2, y))
            text.draw(renderer)
            self.drawn = [text]
            self.stale = False
            return
        marker, gap = 16 * ppt, 5 * ppt
        rows, widths = self.layout_rows(renderer, figure.width)
        if rows is None:
            return
        texts = [text for row in rows for _, text in row]
        self.drawn = texts
        pitch = strip / len(rows)
        colours = self.canvas.theme.colours
        gc = renderer.new_gc()
        for r, row in enumerate(rows):  # wrapped onto more rows, never cut (issue 24)
            y = figure.y0 + strip - pitch * (r + 0.5)
            total = sum(widths[id(t)] for _, t in row) + len(row) * (marker + gap) \
                + (len(row) - 1) * self._spacing * ppt
            x = figure.x0 + max(4 * ppt, (figure.width - total) / 2)
            for (kind, role, *_), text in row:
                x = self._draw_entry(renderer, gc, colours, kind, role, text, x, y, ppt)
                x += widths[id(text)] + self._spacing * ppt
        gc.restore()
        self.stale = False

    def strip_fraction(self, renderer, width: float, height: float) -> float:
        """The share of the figure's height the strip needs: its usual one, or room for
        every row the legend wraps onto at this width."""
        rows, _ = self.layout_rows(renderer, width)
        needed = (len(rows or ()) * 13.0 + 4.0) * renderer.points_to_pixels(1.0)
        return max(LEGEND_HEIGHT, min(needed / max(height, 1.0), 0.25))

    def layout_rows(self, renderer, width: float):
        """The entries in rows that fit ``width`` pixels: one row of long labels, else of
        short ones, else the short ones wrapped onto as many rows as they need.
        (rows of (entry, text), {id(text): width}); rows is None with no entries."""
        if not self.entries:
            return None, {}
        ppt = renderer.points_to_pixels(1.0)
        marker, gap = 16 * ppt, 5 * ppt
        room = width - 8 * ppt

        def measured(which: int) -> list[float]:
            key = (which, renderer.dpi)
            if key not in self._widths:  # measured once: the labels never change
                self._widths[key] = [e[which].get_window_extent(renderer).width
                                     for e in self.entries]
            return self._widths[key]

        for which, spacing in ((2, 14.0), (3, 8.0)):
            sizes = measured(which)
            total = sum(sizes) + len(sizes) * (marker + gap) + (len(sizes) - 1) * spacing * ppt
            if total <= room or which == 3:
                break
        self._spacing = spacing
        rows, row, used = [], [], 0.0
        for entry, size in zip(self.entries, sizes, strict=True):
            need = size + marker + gap + (spacing * ppt if row else 0.0)
            if row and used + need > room:
                rows.append(row)
                row, used = [], 0.0
                need = size + marker + gap
            row.append((entry, entry[which]))
            used += need
        rows.append(row)
        return rows, {id(e[which]): size for e, size in zip(self.entries, sizes, strict=True)}

    def _draw_entry(self, renderer, gc, colours, kind, role, text, x, y, ppt) -> float:
        """One marker and its word at x; returns where the word starts."""
        marker, gap = 16 * ppt, 5 * ppt
        centre = np.array([[x + marker / 2, y]])
        gc.set_dashes(0, None)
        if kind in ("box", "circle"):
            half = np.array([[7.0, 5.0]] if kind == "box" else [[5.5, 5.5]]) * ppt
            radius = np.array([2.0 if kind == "box" else 5.5]) * ppt
            gc.set_foreground(colours[f"{role}_edge"])
            gc.set_linewidth(BORDER[role] * 0.8)
            renderer.draw_path(gc, rounded_boxes(centre, half, radius), IdentityTransform(),
                               rgba(colours[f"{role}_face"]))
        elif kind == "square":
            gc.set_foreground(colours[role])
            gc.set_linewidth(0.5)
            half = np.array([[4.5, 4.5]]) * ppt
            renderer.draw_path(gc, rounded_boxes(centre, half, np.array([1.0 * ppt])),
                               IdentityTransform(), rgba(colours[role]))
        else:
            gc.set_foreground(colours[role])
            gc.set_linewidth(3.5 if kind == "line" else 1.2)
            if kind == "dashed":
                gc.set_dashes(0, [4.0, 3.0])
            line = np.array([[x, y], [x + marker, y]])
            renderer.draw_path(gc, Path(line), IdentityTransform())
        text.set_position((x + marker + gap, y))
        text.draw(renderer)
        return x + marker + gap


def build_legend(canvas) -> None:
    """The legend's texts (and its notes') in the canvas's language and colours."""
    legend, colours, make = canvas._legend, canvas.theme.colours, canvas.labels.make_text
    entries = label_text.legend_entries(canvas.trace, canvas.translate_legend)
    entries = canvas.tangents.with_legend(entries)

    def label(text: str) -> Text:
        return make(0, 0, text, IdentityTransform(), ha="left", va="center_baseline",
                    fontsize=8.5, color=colours["fg"], clip_on=False)

    legend.entries = [(m, role, label(long), label(short)) for m, role, long, short in entries]
    tr = label_text.tr if canvas.translate_legend else str
    legend.notes = {
        name: make(0, 0, tr(text), IdentityTransform(), ha="center", va="center_baseline",
                   fontsize=9.0, clip_on=False,
                   color=colours["grad" if name == "stale" else "fg"], fontweight="bold")
        for name, text in (("stale", label_text.OUT_OF_DATE),
                           ("hint", label_text.FIT_HINT),
                           ("overview", label_text.OVERVIEW_HINT))}
    # a plain Text, not a cached raster: its words change with every step (issue 24)
    legend.notes["counter"] = make(
        0, 0, "", IdentityTransform(), ha="center", va="center_baseline", fontsize=13.0,
        clip_on=False, color=colours["fg"], fontweight="bold", cls=Text)
    legend._widths.clear()
    legend.stale = True
    canvas.view.fit_legend_strip()  # another language: other words, maybe other rows


def apply_theme(canvas) -> None:
    """The canvas in its colours: the figure, the legend, and no text of the old ones."""
    canvas.labels = canvas.labels.themed(canvas.theme)  # none of the old texts
    canvas.figure.set_facecolor(canvas.theme.colours["bg"])
    build_legend(canvas)
