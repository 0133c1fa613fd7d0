"""Column spacing from what sits beside what (core/drawing/columns.py): pure numbers."""

from __future__ import annotations

import pytest

from core.drawing.columns import Envelope, label_spacing, least_spacing


def test_boxes_at_different_heights_do_not_push_columns_apart():
    # a wide grid high on the left, a wide grid low on the right: only the nodes meet
    left = [(-10.0, 10.0, 12.0), (20.0, 60.0, 110.0)]
    right = [(-10.0, 10.0, 13.0), (-60.0, -20.0, 110.0)]
    assert least_spacing(left, right) == 25.0
    # the same grids at one height: their reaches add up
    assert least_spacing(left, [*right, (30.0, 40.0, 100.0)]) == 210.0


def test_boxes_that_only_touch_do_not_meet():
    assert least_spacing([(0.0, 10.0, 50.0)], [(10.0, 20.0, 50.0)]) == 0.0
    assert least_spacing([(0.0, 10.0, 50.0)], [(9.0, 20.0, 50.0)]) == 100.0


def test_the_envelope_is_the_furthest_reach_in_a_band():
    envelope = Envelope([(0.0, 10.0, 5.0), (20.0, 30.0, 50.0), (5.0, 25.0, 7.0)])
    assert envelope.over(-5.0, 1.0) == 5.0
    assert envelope.over(11.0, 19.0) == 7.0
    assert envelope.over(11.0, 21.0) == 50.0
    assert envelope.over(30.0, 40.0) == 0.0 and envelope.over(-9.0, -1.0) == 0.0


def test_an_edge_label_takes_the_room_between_a_value_and_a_gradient():
    # each column: a node (reach 13) with a grid above (value) and one below (gradient),
    # 111 points either side; a level edge runs between them at height 0
    column = [(-13.0, 13.0, 13.0), (17.0, 94.0, 98.5), (-94.0, -17.0, 111.5)]
    left, right = Envelope(column), Envelope(column)
    need, t = label_spacing(left, right, 0.0, 0.0, 94.0, 10.0, 6.0, 2.0, 200.0)
    # the label (94 wide) sits just over or under the edge, clear of both grids' heights:
    # the columns need only the nodes, the label and its padding (not 111.5 + 111.5)
    assert need == pytest.approx(13 + 6 + 94 + 6 + 13)
    assert t == 0.5
    # a label too tall for that channel reaches the grids and needs them apart
    need, _ = label_spacing(left, right, 0.0, 0.0, 94.0, 20.0, 6.0, 2.0, 200.0)
    assert need > 2 * 98.5


def test_an_edge_label_keeps_clear_of_another_edge_into_its_node():
    # 09-one-layer: W (at -25.9) and X (77.8) both feed X @ W (25.9), each column with
    # its nodes and grids; W's edge label must not sit where X's edge runs through it
    # ("edge 0→2 runs through the local label 1")
    from core.drawing.columns import _offsets
    from core.drawing.labels import crosses

    left = Envelope([(67.8, 87.8, 12.0), (92.0, 143.0, 35.5), (-35.9, -15.9, 12.5),
                     (-12.0, 27.0, 29.2), (-79.0, -40.0, 35.5)])
    right = Envelope([(12.9, 38.9, 13.0), (43.0, 94.0, 35.5), (-42.0, 9.0, 35.5),
                      (-87.8, -67.8, 12.0), (-64.0, -53.0, 29.2), (-103.0, -92.0, 35.5)])

    def crossed(others) -> list[bool]:
        need, t = label_spacing(left, right, -25.9, 25.9, 63.0, 23.7, 6.0, 2.0, 100.0,
                                others=others)
        y = -25.9 + t * 51.8
        return [crosses((t * need + ox - 31.5, y + oy - 11.85, t * need + ox + 31.5,
                         y + oy + 11.85), [(0.0, 77.8), (need, 25.9)])
                for ox, oy in _offsets(need, 51.8, 63.0, 23.7, 2.0)]

    assert crossed([])[0]  # blind to X's edge: the upper side (tried first) is on it
    assert crossed([(77.8, 25.9)]) == [False, False]
