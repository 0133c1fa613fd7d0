"""A parameter used hundreds of times, reached by one long jump: the explanation shows
its sum's first and last terms (not a wall of 1,500 numbers), and the lesson tables
fill only the rows on screen, the others when they come into view."""

from __future__ import annotations

from core.engine.trace import BackwardStep
from gui.panels.lesson_tables import ROW_MARGIN, STEP_ROLE

USES = 500


def _program(uses: int) -> str:
    """``s_i = s_{i-1} + w * (i+1)``: contribution i of ∂s/∂w is 1 · i (1-based)."""
    lines = ["w = param(0.5)", "s0 = w * 1"]
    lines += [f"s{i} = s{i - 1} + w * {i + 1}" for i in range(1, uses)]
    return "\n".join(lines) + "\n"


def _w_step(window) -> BackwardStep:
    trace = window.model.trace
    w = trace.graph.names["w"]
    return next(s for s in trace.steps if isinstance(s, BackwardStep) and s.node == w)


def test_the_explanation_of_a_500_term_sum_shows_its_first_and_last_terms(window):
    assert window.model.apply_text(_program(USES))
    step = _w_step(window)
    window.model.goto(step.index)
    html = window.explanation.html()
    text = window.explanation.toPlainText()
    assert len(html) < 2_500  # was 40,000 characters
    assert text.count("… (494 more terms)") == 4  # formula, products, sums, "via" list
    assert "= 1 · 1 + 1 · 2 + 1 · 3 + 1 · 4 + … (494 more terms) + 1 · 499 + 1 · 500 =" in text
    assert "via s0: 1 + via w · 2: 2 + via w · 3: 3 + via w · 4: 4 + … (494 more terms) + " \
        "via w · 499: 499 + via w · 500: 500 = 1.252e5" in text  # 500 · 501 / 2


def test_a_long_jump_fills_only_the_table_rows_on_screen_and_the_others_when_shown(window):
    assert window.model.apply_text(_program(USES))
    tables = window.tables
    forward = tables.tables["forward"]
    window.model.goto(3)  # s0 = w · 1 = 0.5 is done, its row on screen
    assert forward.item(0, 2).text() == "0.5"
    filled = []
    fill = tables._fill
    tables._fill = lambda step, done: (filled.append(step.index), fill(step, done))
    window.model.end()
    tables._fill = fill
    # End made the backward table's rows on screen (and a margin) and left the
    # ~100 forward and local rows made before, off screen, as they were (it filled 167)
    backward = tables.tables["backward"]
    assert tables.currentWidget() is backward
    assert len(filled) <= 2 * (2 * ROW_MARGIN + 10) < 167  # its first rows as the tab shows
    step = _w_step(window)
    row = next(r for r in range(backward.rowCount()) if backward.item(r, 0) is not None
               and backward.item(r, 0).data(STEP_ROLE) == step.index)
    assert backward.viewport().rect().contains(backward.visualItemRect(backward.item(row, 0)))
    assert tables.row_texts(step.index)[2] == "1.252e5"  # 500 · 501 / 2
    # rows off screen are right when read or shown
    assert tables.row_texts(1) == ["s0", "w · 1 = 0.5 · 1", "0.5"]
    tables.setCurrentWidget(forward)
    for row in range(10):
        index = forward.item(row, 0).data(STEP_ROLE)
        assert [forward.item(row, c).text() for c in range(3)] == tables.row_texts(index)
        assert forward.item(row, 2).text() not in ("?", "")
    window.model.goto(2)  # back to the start: the rows on screen say "?" again
    tables.setCurrentWidget(forward)
    assert forward.item(5, 2).text() == "?"


def test_in_chinese_the_left_out_terms_are_chinese_words(window, qtbot):
    from core.base.format import MORE_TERMS
    from gui.support import texts

    assert texts.MORE_TERMS == MORE_TERMS  # the text lupdate reads is the engine's
    assert window.model.apply_text(_program(USES))
    step = _w_step(window)
    window.model.goto(step.index)
    window.set_language("zh")
    qtbot.waitUntil(lambda: window.menuBar().actions()[0].text() == "文件(&F)", timeout=3000)
    text = window.explanation.toPlainText()
    assert text.count("…（另有 494 项）") == 4 and "more term" not in text
    cells = window.tables.row_texts(step.index)
    assert any("…（另有 494 项）" in cell for cell in cells)
    assert not any("more term" in cell for cell in cells)
