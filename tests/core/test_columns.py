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
