"""Label placement and edge routing (core/drawing/labels.py): pure numbers, no screen."""

from __future__ import annotations

import math

from core.drawing.labels import along, column_positions, overlap, place, rect_at, route_edges


def test_layers_are_spaced_by_what_they_hold():
    assert column_positions([10, 20, 5], [30, 40, 5], [12, 8]) == [0, 30 + 12 + 20,
                                                                  62 + 40 + 8 + 5]


def test_a_label_takes_the_first_free_candidate():
    node = (-10.0, -10.0, 10.0, 10.0)
    labels = [(20.0, 10.0, [(0.0, 0.0), (0.0, 20.0)]),  # the first is on the node
              (20.0, 10.0, [(0.0, 20.0), (0.0, 35.0)]),  # the first is taken by the first
              (20.0, 10.0, [(0.0, 0.0)])]  # nowhere free: kept, and said so
    chosen = place([node], labels)
    assert chosen[0] == ((0.0, 20.0), True)
    assert chosen[1] == ((0.0, 35.0), True)
    assert chosen[2] == ((0.0, 0.0), False)
    rects = [rect_at(*c, 20.0, 10.0) for c, free in chosen if free]
    assert not overlap(rects[0], rects[1])
    assert not any(overlap(r, node) for r in rects)


def test_many_labels_on_a_grid_never_overlap():
    labels = [(30.0, 12.0, [(x * 40.0, y * 5.0 + k * 13.0) for k in range(20)])
              for x in range(20) for y in range(10)]
    chosen = place([], labels)
    rects = [rect_at(*c, 30.0, 12.0) for c, free in chosen if free]
    assert len(rects) == len(labels)
    for i, a in enumerate(rects):
        assert not any(overlap(a, b) for b in rects[i + 1:])


def test_an_edge_that_skips_a_layer_goes_around_the_node_there():
    # a (layer 0) -> c (layer 2) with b (layer 1) right in between
    centres = [(0.0, 0.0), (100.0, 0.0), (200.0, 0.0)]
    bands = [(10.0, 20.0, 20.0)] * 3
    routes = route_edges([(0, 1), (1, 2), (0, 2)], [0, 1, 2], [0.0, 100.0, 200.0],
                         centres, bands)
    assert routes[0] is None and routes[1] is None
    waypoints = routes[2]
    assert len(waypoints) == 2 and all(abs(y) >= 20.0 for _, y in waypoints)
    assert waypoints[0][0] < 100.0 - 10.0 and waypoints[1][0] > 100.0 + 10.0


def test_points_along_a_polyline():
    path = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]
    assert along(path, [0.0, 0.5, 1.0]) == [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]
    (x, y), = along(path, [0.25])
    assert math.isclose(x, 5.0) and y == 0.0
