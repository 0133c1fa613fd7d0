"""The strip under the graph (legend, hints) and the labels at its edge."""

from __future__ import annotations

from tests.gui.test_canvas_groups import canvas_for, nn_linear  # noqa: F401 - a fixture


def test_no_label_is_drawn_cut_by_the_legend_strip(qtbot, nn_linear):  # noqa: F811
    """A label that the strip under the graph would cut is not drawn (a sliver of text
    reads as nothing), wherever the view is."""
    canvas = canvas_for(qtbot, nn_linear)  # the lesson's recorded pass 1
    ratio = canvas.device_pixel_ratio or 1.0
    graph = canvas.trace.graph
    for node in graph.nodes:
        x0, x1 = canvas.ax.get_xlim()
        y0, y1 = canvas.ax.get_ylim()
        shift = canvas.pos[node.id][1] - y0  # the node's centre on the strip's edge
        canvas.ax.set_ylim(y0 + shift, y1 + shift)
        canvas.draw()
        strip = canvas.height() - canvas.ax.bbox.y0 / ratio
        for entry in canvas.label_entries():
            top, bottom = entry["rect"][1], entry["rect"][1] + entry["rect"][3]
            if entry["kind"] != "other":
                assert not (top < strip - 0.5 and bottom > strip + 0.5), (node.id, entry)
