"""Labels kept clear of edges, fast: the vectorised crossing test and the placement that
uses it give exactly what the one-rect-one-path Python test gave (a program with one
parameter used by 2,500 operations took ~25 s of CPU to lay out; ~2.5 s now)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.drawing import labels as rules
from core.engine.trace import build_trace
from core.io.examples import LESSON_TEXT, lesson_bindings
from core.io.session import load_session
from gui.canvas import placement
from gui.canvas.scene import build_scene
from tests.programs import REUSE, chain

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def old_clear_first(cands, w, h, nearby, pad) -> list:
    """The placement's candidate sort before it was vectorised, over polylines."""
    clear, crossed = [], []
    for c in cands:
        rect = rules.rect_at(c[0], c[1], w, h)
        (crossed if any(rules.crosses(rect, path, pad) for path in nearby) else clear).append(c)
    return clear + crossed


def segments_of(path) -> list[tuple]:
    return [(*p, *q) for p, q in zip(path[:-1], path[1:], strict=True)]


def random_cases(rng, grid: bool):
    """Rects and segments, on a small integer grid (so touching, colinear, corner and
    zero-length cases are common) or anywhere."""
    def points(k):
        return rng.integers(-4, 5, (k, 2)).astype(float) if grid else rng.normal(0, 3, (k, 2))
    a, b = points(12), points(12)
    rects = np.hstack([np.minimum(a, b), np.maximum(a, b)])
    segments = np.hstack([points(40), points(40)])
    segments[:5, 2:] = segments[:5, :2]  # zero length
    segments[5:10, 3] = segments[5:10, 1]  # level
    segments[10:15, 2] = segments[10:15, 0]  # upright
    return rects, segments


@pytest.mark.parametrize("grid", [True, False])
@pytest.mark.parametrize("pad", [0.0, 0.5, 1.0])
def test_crossed_matches_crosses_segment_by_segment(grid, pad):
    rng = np.random.default_rng(7)
    for _ in range(15):
        rects, segments = random_cases(rng, grid)
        got = rules.crossed(rects, segments, pad)
        for rect, answer in zip(rects.tolist(), got, strict=True):
            each = [rules.crosses(rect, [s[:2], s[2:]], pad) for s in segments.tolist()]
            assert answer == any(each)
            # and one segment at a time, so no answer hides behind another
            assert [bool(rules.crossed(np.array([rect]), np.array([s]), pad)[0])
                    for s in segments] == each


def test_crossed_has_both_answers_and_empty_inputs():
    rects = np.array([[0.0, 0.0, 2.0, 1.0]])
    touching = np.array([[2.0, -1.0, 2.0, 3.0]])  # along the right side
    beside = np.array([[2.5, -1.0, 2.5, 3.0]])
    assert rules.crossed(rects, touching)[0] and not rules.crossed(rects, beside)[0]
    assert rules.crossed(rects, beside, pad=0.5)[0]
    assert rules.crossed(rects, np.zeros((0, 4))).tolist() == [False]
    assert rules.crossed(np.zeros((0, 4)), beside).shape == (0,)


def test_clear_first_sorts_as_before_on_random_paths():
    rng = np.random.default_rng(11)
    for _ in range(60):
        paths = [rng.integers(-6, 7, (int(rng.integers(2, 5)), 2)).astype(float).tolist()
                 for _ in range(int(rng.integers(0, 6)))]
        segments = np.array([s for path in paths for s in segments_of(path)],
                            float).reshape(-1, 4)
        cands = [tuple(c) for c in rng.integers(-6, 7, (9, 2)).astype(float).tolist()]
        w, h, pad = float(rng.integers(1, 4)), float(rng.integers(1, 3)), 1.0
        assert placement._clear_first(cands, w, h, segments, pad) \
            == old_clear_first(cands, w, h, paths, pad)


def program(name: str):
    if name == "lesson":
        return build_trace(LESSON_TEXT, lesson_bindings())
    if name.endswith(".json"):
        session = load_session(EXAMPLES / name)
        return build_trace(session.text, session.bindings)
    return build_trace({"reuse": REUSE, "fan-out": chain(240)}[name])


@pytest.mark.parametrize("name", ["lesson", "09-one-layer.json", "10-conv-pool.json",
                                  "05-cs231n-sigmoid-neuron.json", "reuse", "fan-out"])
def test_placement_is_what_the_old_crossing_test_gave(name, monkeypatch):
    trace = program(name)
    new = build_scene(trace)

    def old(cands, w, h, nearby, pad):  # each segment as a two-point polyline
        return old_clear_first(cands, w, h, [[s[:2], s[2:]] for s in nearby.tolist()], pad)

    monkeypatch.setattr(placement, "_clear_first", old)
    before = build_scene(trace)
    assert new.label_pos and new.name_pos
    assert new.label_pos == before.label_pos
    assert new.name_pos == before.name_pos


def test_each_node_has_the_segments_of_its_edges():
    trace = build_trace(REUSE)
    scene = build_scene(trace)
    polylines = [path.tolist() for path in scene.edge_paths]
    by_node = placement._segments_by_node(polylines, scene.edges)
    for v in range(len(scene.pos)):
        mine = [i for i, (s, t, _) in enumerate(scene.edges) if v in (s, t)]
        want = [(i, s) for i in mine for s in segments_of(polylines[i])]
        segments, edge = by_node.get(v, (np.zeros((0, 4)), np.zeros(0, int)))
        got = zip(edge.tolist(), map(tuple, segments.tolist()), strict=True)
        assert sorted(got) == sorted(want)
