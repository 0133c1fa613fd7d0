"""What a screen reader and a keyboard-only user get (issue 24): accessible names and
descriptions, a Tab order through the panels, and the canvas described in words.

The canvas is a picture to a screen reader, so its accessible description is the
current step's text (what the Explanation says), set again at every step. Widgets whose
role is not obvious from their kind get a description too. The words keep the
translation context ``Accessibility`` and follow the language (the window's
Retranslator applies them again on a switch).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QTabBar,
    QTabWidget,
    QWidget,
)

#: objectName → (accessible name or None to keep the widget's own, description or None)
WORDS: dict[str, tuple[str | None, str | None]] = {
    "graphCanvas": (QT_TRANSLATE_NOOP("Accessibility", "Computational graph"), None),
    "speedBox": (QT_TRANSLATE_NOOP("Accessibility", "Playing speed"),
                 QT_TRANSLATE_NOOP("Accessibility", "How many steps a second Play (P) takes")),
    "stepSlider": (None, QT_TRANSLATE_NOOP(
        "Accessibility", "Drag to a step; the graph shows what is known there")),
    "iterationTable": (QT_TRANSLATE_NOOP("Accessibility", "Training iterations"),
                       QT_TRANSLATE_NOOP("Accessibility",
                                         "One row per iteration: the loss, each parameter and "
                                         "the .grad its update used, and PyTorch's check")),
    "torchTable": (QT_TRANSLATE_NOOP("Accessibility", "Ours vs PyTorch vs finite differences"),
                   QT_TRANSLATE_NOOP("Accessibility",
                                     "Each value and gradient as we compute it, as PyTorch "
                                     "does, by finite differences, and ✓ when they agree")),
    "variablesTable": (None, QT_TRANSLATE_NOOP(
        "Accessibility", "The inputs: name, role (data or parameter) and value; "
                         "double-click a value or role to change it")),
    "forwardTable": (None, QT_TRANSLATE_NOOP(
        "Accessibility", "The forward pass step by step; click a row to go to its step")),
    "localTable": (None, QT_TRANSLATE_NOOP(
        "Accessibility", "The local gradients step by step; click a row to go to its step")),
    "backwardTable": (None, QT_TRANSLATE_NOOP(
        "Accessibility", "The backward pass step by step; click a row to go to its step")),
    "updateTable": (None, QT_TRANSLATE_NOOP(
        "Accessibility", "The parameters' updates; click a row to go to its step")),
    "forwardWrt": (QT_TRANSLATE_NOOP("Accessibility", "Forward mode: the input to seed"),
                   QT_TRANSLATE_NOOP("Accessibility",
                                     "Forward mode carries ∂node/∂(this input) from the "
                                     "seed 1 to the output")),
    "forwardSteps": (QT_TRANSLATE_NOOP("Accessibility", "Forward mode's walk"), None),
    "forwardCode": (QT_TRANSLATE_NOOP("Accessibility", "PyTorch forward_ad code"), None),
    "whatIfSlider": (QT_TRANSLATE_NOOP("Accessibility", "What-if value"),
                     QT_TRANSLATE_NOOP("Accessibility",
                                       "Moves the input picked above; every value and "
                                       "gradient follows")),
    "whatIfTable": (QT_TRANSLATE_NOOP("Accessibility", "What-if values and gradients"), None),
    "featureSample": (QT_TRANSLATE_NOOP("Accessibility", "Sample shown"), QT_TRANSLATE_NOOP(
        "Accessibility", "Which sample of the batch the feature maps show")),
    "ninjaAnswer": (QT_TRANSLATE_NOOP("Accessibility", "Your answer"), QT_TRANSLATE_NOOP(
        "Accessibility", "The gradient arriving at the node, as a number or a list of "
                         "rows; Enter checks it")),
    "ninjaScore": (QT_TRANSLATE_NOOP("Accessibility", "Ninja score"), QT_TRANSLATE_NOOP(
        "Accessibility", "One row per node answered: the tries, the result, and whether a "
                         "hint was used")),
    "messageClose": (QT_TRANSLATE_NOOP("Accessibility", "Dismiss the message"), None),
    "previousIterationButton": (QT_TRANSLATE_NOOP("Accessibility", "Previous iteration"),
                                None),
    "nextIterationOfLoopButton": (QT_TRANSLATE_NOOP("Accessibility", "Next iteration"), None),
}

#: the panels, each named and described as a whole (what a screen reader says on entering
#: one); a panel in a scroll area (``NAMEScroll``, gui.window.main_window.collapsible)
#: gets the same words on the scroll area too
PANEL_WORDS: dict[str, tuple[str | None, str]] = {
    "editorPanel": (QT_TRANSLATE_NOOP("Accessibility", "Program"), QT_TRANSLATE_NOOP(
        "Accessibility", "The program or script to step: type it and press Ctrl+Enter; "
                         "the Variables table below holds its inputs")),
    "stepBar": (QT_TRANSLATE_NOOP("Accessibility", "Step controls"), QT_TRANSLATE_NOOP(
        "Accessibility", "First, back, forward and last step, the phases, Play and its "
                         "speed, quiz and ninja mode, forward mode, and a slider over "
                         "all steps")),
    "explanationView": (None, QT_TRANSLATE_NOOP(
        "Accessibility", "The current step in words: its formula with the numbers, and "
                         "why the rule holds")),
    "lessonTables": (QT_TRANSLATE_NOOP("Accessibility", "Lesson tables"), QT_TRANSLATE_NOOP(
        "Accessibility", "One table per phase, a row per step with its formula and value; "
                         "a value not computed yet shows as ?")),
    "trainingPanel": (QT_TRANSLATE_NOOP("Accessibility", "Training"), QT_TRANSLATE_NOOP(
        "Accessibility", "The learning rate, Next iteration, Train for N iterations, the "
                         "loss plot and one row per iteration")),
    "quizPanel": (QT_TRANSLATE_NOOP("Accessibility", "Quiz"), QT_TRANSLATE_NOOP(
        "Accessibility", "Type the number the current step computes; Check grades it and "
                         "Show answer reveals it")),
    "outputPanel": (QT_TRANSLATE_NOOP("Accessibility", "Output"), QT_TRANSLATE_NOOP(
        "Accessibility", "What the script prints, up to the step on screen")),
    "plotsPanel": (QT_TRANSLATE_NOOP("Accessibility", "Plots"), QT_TRANSLATE_NOOP(
        "Accessibility", "The loss of every recorded pass, and the figures the script "
                         "showed")),
    "forwardPanel": (QT_TRANSLATE_NOOP("Accessibility", "Why backwards"), QT_TRANSLATE_NOOP(
        "Accessibility", "Forward mode beside the backward pass: how many passes each "
                         "needs, forward mode's walk, and a what-if slider")),
    "torchPanel": (QT_TRANSLATE_NOOP("Accessibility", "PyTorch"), QT_TRANSLATE_NOOP(
        "Accessibility", "The same computation in PyTorch: its code, what it prints, and "
                         "every number checked against ours")),
    "messageBar": (QT_TRANSLATE_NOOP("Accessibility", "Message"), QT_TRANSLATE_NOOP(
        "Accessibility", "An error or a hint about the program, with a fix when there "
                         "is one")),
    "featureMaps": (QT_TRANSLATE_NOOP("Accessibility", "Feature maps"), QT_TRANSLATE_NOOP(
        "Accessibility", "Image tensors of the current step as grids of cells, one map "
                         "per channel; click a gradient cell to spell out its sum")),
    "lossPlot": (QT_TRANSLATE_NOOP("Accessibility", "Loss plot"), QT_TRANSLATE_NOOP(
        "Accessibility", "The loss and the parameters at each iteration; the table "
                         "beside it lists the same numbers")),
    "runToolBar": (None, QT_TRANSLATE_NOOP(
        "Accessibility", "Run runs the script with PyTorch and records it, Stop ends a "
                         "run; the iteration box chooses the iteration on screen")),
    "ninjaView": (QT_TRANSLATE_NOOP("Accessibility", "Ninja mode"), QT_TRANSLATE_NOOP(
        "Accessibility", "Type the gradient arriving at the node on screen; the names "
                         "line says what each symbol stands for")),
    "passLossPlot": (QT_TRANSLATE_NOOP("Accessibility", "Loss of every pass"),
                     QT_TRANSLATE_NOOP("Accessibility",
                                       "The loss of each recorded pass, the pass on screen "
                                       "marked; click to go to a pass")),
}

#: the Tab order: the graph (and the feature maps under it), the controls under it,
#: what they explain, then the Run toolbar (Run, Stop, the iteration box) with the
#: program it runs, then the side panels (window attributes; each panel's own widgets
#: keep their order inside it)
TAB_ORDER = ("canvas", "feature_maps", "step_bar", "explanation", "tables", "run_bar",
             "editor_panel", "output_panel", "torch_panel", "training_panel", "forward_panel",
             "plots_panel", "quiz_panel")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Accessibility", text)


def step_description(window) -> str:
    """The current step in words, as the Explanation says it (on one line)."""
    return " ".join(window.explanation.toPlainText().split())


def install(window) -> None:
    """Names, descriptions, Tab order, and the canvas's description kept current."""
    for name, (accessible, description) in WORDS.items():
        widget = window.findChild(QWidget, name)
        if widget is None:
            continue
        if accessible is not None:
            window._texts.bind(widget.setAccessibleName, lambda t=accessible: _tr(t))
        if description is not None:
            window._texts.bind(widget.setAccessibleDescription, lambda t=description: _tr(t))
    for name, (accessible, description) in PANEL_WORDS.items():
        for widget in (window.findChild(QWidget, name),
                       window.findChild(QWidget, name + "Scroll")):
            if widget is None:
                continue
            if accessible is not None:
                window._texts.bind(widget.setAccessibleName, lambda t=accessible: _tr(t))
            window._texts.bind(widget.setAccessibleDescription, lambda t=description: _tr(t))
    # a combo box is named by its label on Linux (AT-SPI): give the seed box its label
    window.forward_panel.wrt_label.setBuddy(window.forward_panel.wrt)
    for table in window.tables.tables.values():  # reachable by Tab (a click still only jumps)
        table.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    for table in (*window.tables.tables.values(), window.torch_panel.table,
                  window.training_panel.table, window.forward_panel.table):
        table.setTabKeyNavigation(False)  # read-only: Tab goes on to the next widget
    # the Variables table keeps Tab for its cells, and lets go after its last one
    window._tab_out = _TabOut(window.editor_panel.table)
    for edit in (window.torch_panel.code, window.torch_panel.output,
                 window.output_panel.text, window.explanation):
        edit.setTabChangesFocus(True)  # read-only text: Tab goes on, it types nothing
    canvas = window.canvas

    def describe(*_args) -> None:
        canvas.setAccessibleDescription(step_description(window))

    describe()
    # whenever the Explanation says something new: a step, a new trace, the quiz hiding
    # a number, another language
    window.explanation.textChanged.connect(describe)


class _TabOut(QObject):
    """Tab on a table's last cell (Shift+Tab on its first) leaves the table: Qt's own
    tab navigation goes round and round, and a keyboard user is caught in it."""

    def __init__(self, table):
        super().__init__(table)
        self.table = table
        table.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.KeyPress or event.key() not in (Qt.Key.Key_Tab,
                                                                        Qt.Key.Key_Backtab):
            return False
        table = self.table
        back = event.key() == Qt.Key.Key_Backtab \
            or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        index = table.currentIndex()
        rows, columns = table.rowCount(), table.columnCount()
        last = not index.isValid() or (index.row() == rows - 1 and index.column() == columns - 1)
        first = not index.isValid() or (index.row() == 0 and index.column() == 0)
        if (back and first) or (not back and last):
            target = table.previousInFocusChain() if back else table.nextInFocusChain()
            while target is not None and target is not table and not (
                    target.isVisible() and target.isEnabled()
                    and target.focusPolicy() & Qt.FocusPolicy.TabFocus):
                target = target.previousInFocusChain() if back else target.nextInFocusChain()
            if target is not None and target is not table:
                target.setFocus(Qt.FocusReason.BacktabFocusReason if back
                                else Qt.FocusReason.TabFocusReason)
                return True
        return False


def _focusable(panel: QWidget) -> list[QWidget]:
    """A panel's widgets that Tab stops at, as they sit on screen: top to bottom, then
    left to right (not popups, a combo box's list, nor a tab bar's scroll arrows)."""
    # only widgets with no focusable widget inside (setTabOrder moves a widget with all
    # its focusable descendants); a tab widget is reached through its tab bar
    candidates = [panel, *panel.findChildren(QWidget)]
    for tabs in (w for w in candidates if isinstance(w, QTabWidget)):
        tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # (Qt hands this on to the proxy)
        tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.TabFocus)
    widgets = [w for w in candidates
               if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.window() is panel.window()
               and not isinstance(w.parentWidget(), (QAbstractItemView, QTabBar,
                                                     QAbstractSpinBox))]
    widgets = [w for w in widgets if not any(w is not o and w.isAncestorOf(o) for o in widgets)]

    def place(widget: QWidget) -> tuple[int, int]:  # rows of 16 px, then left to right
        corner = widget.mapTo(panel, QPoint(0, 0)) if widget is not panel else QPoint(0, 0)
        return (corner.y() + widget.height() // 2) // 16, corner.x()

    return sorted(widgets, key=place)


def tab_chain(window) -> list[QWidget]:
    """Every widget Tab stops at, panel by panel in TAB_ORDER (hidden ones included)."""
    chain: list[QWidget] = []
    for attribute in TAB_ORDER:
        if attribute == "torch_panel":  # the tabs of the docks that share a place
            chain.extend(bar for bar in window.findChildren(QTabBar)
                         if bar.parentWidget() is window)
        panel = getattr(window, attribute, None)
        if panel is not None:
            chain.extend(w for w in _focusable(panel) if w not in chain)
    return chain


def move_focus(window, forward: bool) -> bool:
    """Tab / Shift+Tab through :func:`tab_chain`, skipping what cannot take the focus
    now; False when the focus is not in the chain (Qt's own order goes on then)."""
    focus = QApplication.focusWidget()
    chain = tab_chain(window)
    here = next((i for i, w in enumerate(chain)
                 if focus is not None and (w is focus or w.isAncestorOf(focus))), None)
    if here is None:
        return False
    step = 1 if forward else -1
    for k in range(1, len(chain) + 1):
        widget = chain[(here + step * k) % len(chain)]
        if widget.isVisible() and widget.isEnabled() and widget.window() is window:
            widget.setFocus(Qt.FocusReason.TabFocusReason if forward
                            else Qt.FocusReason.BacktabFocusReason)
            return True
    return False
