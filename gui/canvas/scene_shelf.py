"""The scenes of the last graphs shown, for undo and redo to show them again at once.

Laying out a graph (``build_scene``) is the costly part of showing it: ~4 s of the GUI
thread for a 20,000-node program, which a worker thread does on Apply, but which undo
and redo, swapping in a trace already built, did again on the GUI thread. The shelf
keeps the scene of the last few traces the canvas replaced, as they were first placed.

It keeps a trace only weakly: a scene's step tables (the one part of it that refers to
its trace) are left out on the shelf and made again when it is taken, so a trace the
undo history lets go of takes its scene with it. A scene comes back only to the text
size and language it was placed for, and only as its own trace's numbers and labels
(What if's numbers put back, forward mode's tangent labels left out: they are placed
again for the trace when it returns).
"""

from __future__ import annotations

import dataclasses
import weakref

from core.engine.trace import Trace
from gui.canvas.scene import _TANGENT, Scene, steps_by_place

#: scenes kept: undo, then redo, needs one; a second lets the learner go back and forth
SHELF_SIZE = 2
#: and at most this many nodes in all: a scene weighs about what its trace does (~2.7 kB
#: a node), which the undo history's 256 MB does not count. One 20,000-node graph; not a
#: 50,000-node one (~135 MB more: `make soak`'s 14 applies of 50,000 nodes grew by
#: 1,362 MB with one shelved, 1,161 MB without, and its bound is 1,200 MB)
SHELF_NODES = 25_000


class SceneShelf:
    """``GraphCanvas``'s last replaced scenes, by trace (``canvas.shelf``)."""

    def __init__(self) -> None:
        #: id(trace) → (weak reference to it, its scene without step tables), oldest first
        self.scenes: dict[int, tuple[weakref.ref, Scene]] = {}
        #: the scene on screen when the language changed last (weakly): its words are the
        #: old ones until its new layout arrives from a worker thread (rescale.py), so it
        #: is never kept
        self.old_words = lambda: None

    def keep(self, trace: Trace, scene: Scene) -> None:
        """Shelve ``scene``, just replaced on the canvas, for ``trace``."""
        if not len(scene.pos) or scene is self.old_words():
            return
        for key in [k for k in scene.label_pos if k[0] == _TANGENT]:
            del scene.label_pos[key]  # forward mode's: placed again if it is on then
            scene.label_texts.pop(key, None)
        bare = dataclasses.replace(scene, local_steps={}, backward_steps={}, update_steps={})
        key = id(trace)
        self.scenes.pop(key, None)
        self.scenes[key] = (weakref.ref(trace, lambda _, key=key: self.scenes.pop(key, None)),
                            bare)
        while len(self.scenes) > SHELF_SIZE or sum(
                len(kept.pos) for _, kept in self.scenes.values()) > SHELF_NODES:
            del self.scenes[next(iter(self.scenes))]

    def take(self, trace: Trace, text_scale: float) -> Scene | None:
        """The shelved scene of ``trace`` placed at ``text_scale``, with its step tables;
        None when there is none."""
        entry = self.scenes.pop(id(trace), None)
        if entry is None or entry[0]() is not trace or entry[1].text_scale != text_scale:
            return None
        local, backward, update = steps_by_place(trace)
        return dataclasses.replace(entry[1], local_steps=local, backward_steps=backward,
                                   update_steps=update)

    def clear(self, shown: Scene | None = None) -> None:
        """Forget every scene: their labels were written for another language (as was
        ``shown``'s, the scene on screen: not kept when it is replaced)."""
        self.scenes.clear()
        if shown is not None:
            self.old_words = weakref.ref(shown)
