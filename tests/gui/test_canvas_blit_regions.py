"""A blit's region takes in every drawn label it touches (blit.Blitter.blit_regions):
restored without them, a label half inside would be left half erased."""

from __future__ import annotations

from gui.graph_canvas import GraphCanvas


def test_a_region_takes_in_a_long_chain_of_touching_labels(qtbot, monkeypatch):
    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(600, 300)
    canvas.show()
    # twelve labels in a row, each overlapping the next, listed from the far end: the
    # region grows by one label a pass (the old loop stopped after eight passes)
    chain = [(10.0 * i, 0.0, 10.0 * i + 15.0, 10.0) for i in range(12)]
    canvas._drawn = {(0, i): box for i, box in reversed(list(enumerate(chain)))}
    restored = []
    monkeypatch.setattr(canvas.blitter, "restore_and_draw",
                        lambda renderer, buffer, regions, w, h: restored.extend(regions))
    canvas.blitter.blit_regions([(0.0, 2.0, 5.0, 8.0)])
    assert [list(map(float, r)) for r in restored] == [[0.0, 0.0, 125.0, 10.0]]


def test_apart_regions_stay_apart_and_each_takes_in_what_it_touches(qtbot, monkeypatch):
    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(600, 300)
    canvas.show()
    canvas._drawn = {(0, 0): (0.0, 0.0, 20.0, 10.0), (0, 1): (100.0, 50.0, 130.0, 60.0),
                     (0, 2): (300.0, 200.0, 310.0, 210.0)}
    restored = []
    monkeypatch.setattr(canvas.blitter, "restore_and_draw",
                        lambda renderer, buffer, regions, w, h: restored.extend(regions))
    canvas.blitter.blit_regions([(15.0, 5.0, 40.0, 30.0), (120.0, 40.0, 125.0, 55.0),
                                 (20.0, 20.0, 30.0, 40.0)])
    assert sorted(list(map(float, r)) for r in restored) == [
        [0.0, 0.0, 40.0, 40.0], [100.0, 40.0, 130.0, 60.0]]
