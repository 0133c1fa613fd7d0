"""The recursion budget of reading a program and building its graph.

Both walk the syntax tree recursively. The limit is raised as far as the text needs, so
MAX_DEPTH (not whatever limit earlier programs left) decides what a text gets, and it is
never lowered: another thread may be deep in a graph it is building.
"""

from __future__ import annotations

import ast
import sys

#: Python frames the reader may use per level of the syntax tree (at most), and beyond them
FRAMES_PER_LEVEL, SPARE_FRAMES = 4, 400


def allow_reading(tree: ast.Module, max_depth: int) -> None:
    """Enough frames for the reader to reach ``max_depth`` levels in any statement."""
    cap = 3 * (max_depth + 1)
    levels = max((_statement_depth(node, cap) for node in tree.body), default=0)
    _raise_limit(_stack_depth() + FRAMES_PER_LEVEL * levels + SPARE_FRAMES)


def allow_building(tree_depth: int) -> None:
    """Let the graph builder (recursive, two frames a level) walk a flat sum of up to the
    ~3,000 terms ``ast.parse`` accepts."""
    _raise_limit(2 * tree_depth + 1000)


def _raise_limit(needed: int) -> None:
    if needed > sys.getrecursionlimit():
        sys.setrecursionlimit(needed)


def _statement_depth(node: ast.stmt, cap: int) -> int:
    """At least the statement's syntax-tree depth: a short line's width bounds it (each
    level takes a character, plus the line's own nodes), a longer one is walked."""
    if node.end_lineno == node.lineno and node.end_col_offset - node.col_offset < 100:
        return node.end_col_offset - node.col_offset + 3
    return _tree_depth(node, cap)


def _tree_depth(tree: ast.AST, cap: int) -> int:
    """The syntax tree's depth, walked without recursion, up to ``cap``."""
    deepest, pending = 0, [(tree, 1)]
    while pending and deepest < cap:
        node, depth = pending.pop()
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return min(deepest, cap)


def _stack_depth() -> int:
    depth, frame = 0, sys._getframe()
    while frame is not None:  # bounded by the recursion limit
        depth, frame = depth + 1, frame.f_back
    return depth
