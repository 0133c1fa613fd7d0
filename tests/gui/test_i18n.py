"""The Chinese UI: a complete translation, switched live from View → Language."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QMenu, QTableWidget

from core.engine.explain import TEMPLATES, render
from gui.support import i18n
from tests.gui_in_process import window_cli

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "backprop_stepper_zh_CN.ts"
QM = TS.with_suffix(".qm")
PLACEHOLDER = re.compile(r"\{[^}]*\}|%\d")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _messages() -> list[tuple[str, str, ET.Element | None]]:
    root = ET.parse(TS).getroot()
    return [(c.findtext("name") or "", m.findtext("source") or "", m.find("translation"))
            for c in root.iter("context") for m in c.iter("message")]


@pytest.fixture(scope="session", autouse=True)
def _compiled_translation():
    """``make test`` compiles the .qm; a bare ``pytest`` run does it here if needed (into
    a file of this process, then renamed: another xdist worker may be reading it)."""
    if not QM.is_file() or QM.stat().st_mtime < TS.stat().st_mtime:
        lrelease = Path(sys.executable).parent / "pyside6-lrelease"
        command = str(lrelease) if lrelease.is_file() else shutil.which("pyside6-lrelease")
        assert command, "pyside6-lrelease is missing (it comes with PySide6-Essentials)"
        own = QM.with_name(f".{os.getpid()}.{QM.name}")
        subprocess.run([command, "-silent", str(TS), "-qm", str(own)], check=True)
        os.replace(own, QM)


def _switch(window, qtbot, language: str) -> None:
    window.set_language(language)
    expected = {"en": "&File", "zh": "文件(&F)"}[language]
    qtbot.waitUntil(lambda: window.menuBar().actions()[0].text() == expected, timeout=3000)


def _words(window) -> dict[str, object]:
    """Everything that should change language, read from the widgets."""
    def headers(table: QTableWidget) -> list[str]:
        return [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())]

    tables = window.tables
    return {
        "menus": [a.text() for a in window.menuBar().actions()],
        "docks": [d.windowTitle() for d in window.panel_docks],
        "step label": window.findChild(QLabel, "stepLabel").text(),
        "phase buttons": [b.text() for b in window.step_bar.phase_buttons.values()],
        "speeds": [window.step_bar.speed_box.itemText(i)
                   for i in range(window.step_bar.speed_box.count())],
        "lesson headers": [headers(t) for t in tables.tables.values()],
        "lesson tabs": [tables.tabText(i) for i in range(tables.count())],
        "variables headers": headers(window.findChild(QTableWidget, "variablesTable")),
        "torch headers": headers(window.findChild(QTableWidget, "torchTable")),
        "explanation": window.explanation.toPlainText(),
        "next": window.next_action.text(),
        "apply button": window.editor_panel.apply_button.text(),
    }


def test_switching_to_chinese_and_back_is_live(window, qtbot):
    window.model.goto(4)
    english = _words(window)
    _switch(window, qtbot, "zh")
    chinese = _words(window)
    assert chinese["menus"] == ["文件(&F)", "编辑(&E)", "单步(&S)", "运行(&R)", "示例(&X)",
                                "视图(&V)", "帮助(&H)"]
    assert chinese["docks"][:4] == ["程序", "PyTorch", "讲解", "课程表格"]
    assert chinese["step label"] == "第 4/9 步 · 局部梯度"
    assert chinese["phase buttons"][:3] == ["前向传播", "局部梯度", "反向传播"]
    assert chinese["lesson headers"][:3] == [["节点", "计算", "值"], ["局部梯度", "公式", "值"],
                                             ["损失的梯度", "链式法则", "值"]]
    assert chinese["lesson tabs"][:3] == ["前向传播", "局部梯度", "反向传播"]
    assert chinese["variables headers"] == ["名称", "角色", "值"]
    assert chinese["torch headers"] == ["名称", "本程序", "PyTorch", "数值差分", "✓"]
    assert chinese["speeds"][1] == "速度 ×1"
    assert chinese["next"] == "下一步"
    assert chinese["apply button"] == "应用"
    assert chinese["explanation"].startswith("第 4 步，共 9 步 · 局部梯度")
    assert "局部梯度：" in chinese["explanation"]
    _switch(window, qtbot, "en")
    assert _words(window) == english


@pytest.mark.parametrize("position, words", [
    (0, ["还没有计算任何东西", "按 → 或空格键"]),
    (1, ["前向传播：用已知的值计算 y_hat。"]),
    (3, ["前向传播：这是输出。反向传播要求导的就是它的值 1。"]),
    (4, ["局部梯度：其他输入都保持不变时，s 变化会让 loss 变化多少。", "幂法则",
         "局部 ∂loss/∂s = 2 · s = 2 · (−1) = −2"]),
    (5, ["差随第一项一比一地同向变化", "y 是数据：不需要 ∂s/∂y——没有什么会更新 y。"]),
    (6, ["乘积对其中一个因子的导数就是另一个因子。", "x 是数据：不需要 ∂y_hat/∂x"]),
    (7, ["反向传播从输出开始：∂loss/∂loss = 1。", "链式法则：把从 loss 传回的梯度",
         "∂loss/∂s = ∂loss/∂loss · 局部 = 1 · (−2) = −2"]),
    (9, ["链式法则：把从 y_hat 传回的梯度乘以这条边的局部梯度。w 是参数"]),
])
def test_the_lesson_explained_in_chinese(window, qtbot, position, words):
    _switch(window, qtbot, "zh")
    window.model.goto(position)
    text = window.explanation.toPlainText()
    for word in words:
        assert word in text
    step = window.model.current
    if step is not None:  # not one English sentence left
        assert render(step.explanation) not in text
        assert not re.search(r"\b(the|is|of|from|and)\b", text)


def test_explanation_follows_a_switch_at_the_current_step(window, qtbot):
    window.model.goto(7)
    assert "Chain rule" in window.explanation.toPlainText()
    _switch(window, qtbot, "zh")
    assert "链式法则" in window.explanation.toPlainText()
    _switch(window, qtbot, "en")
    assert "Chain rule" in window.explanation.toPlainText()


def test_every_menu_entry_is_translated(window, qtbot):
    english = {}
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            english[action] = action.text()
    _switch(window, qtbot, "zh")
    same = {"PyTorch", *i18n.ENDONYMS.values()}
    recent = set(window.recent_menu.actions())
    left = [text for action, text in english.items()
            if text and text not in same and action not in recent
            and action.text() == text and not action.isSeparator()]
    assert left == []
    panel_toggles = [d.toggleViewAction().text() for d in window.panel_docks]
    assert panel_toggles[:4] == ["程序", "PyTorch", "讲解", "课程表格"]


def test_language_menu_checks_the_choice_and_only_a_given_settings_remembers(window, qtbot):
    actions = window.language_actions
    assert list(actions) == ["system", "en", "zh"]
    assert [actions[k].text() for k in ("en", "zh")] == ["English", "简体中文"]
    actions["zh"].trigger()
    qtbot.waitUntil(lambda: window.menuBar().actions()[0].text() == "文件(&F)")
    assert actions["zh"].isChecked() and not actions["en"].isChecked()
    assert window.language_menu.title() == "语言"
    assert actions["system"].text() == "跟随系统"
    assert i18n.current_language() == "zh"
    assert window.settings is None  # a test window stores nothing


def test_the_choice_is_stored_in_the_interactive_settings(qtbot, tmp_path):
    from gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.set_language("zh")
    assert settings.value("language") == "zh"
    win.set_language("system")
    assert settings.value("language") == "system"


def test_system_default_follows_the_system_locale():
    assert i18n.normalise("zh_CN") == i18n.normalise("zh-Hans") == "zh"
    assert i18n.normalise("en_GB") == "en"
    assert i18n.normalise(None) == i18n.SYSTEM
    with pytest.raises(ValueError):
        i18n.normalise("fr")
    assert i18n.resolve("system") == i18n.system_language()
    assert i18n.apply_language("system") == i18n.system_language()


def test_chinese_canvas_and_widgets_have_the_cjk_font(window, qtbot):
    from PySide6.QtGui import QFontDatabase

    from gui.support import fonts

    _switch(window, qtbot, "zh")
    window.model.goto(9)
    window.canvas.draw()  # a missing glyph would be a matplotlib warning, here an error
    assert fonts.cjk_in_use()
    assert fonts.CJK_FAMILY in QFontDatabase.families()
    legend = [entry[2].get_text() for entry in window.canvas._legend.entries]
    assert "数据" in legend and "参数" in legend


def test_standard_buttons_use_qt_own_chinese(window, qtbot):
    _switch(window, qtbot, "zh")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


# ---- the translation file -------------------------------------------------------------


def test_every_message_in_the_ts_is_finished():
    unfinished = [(context, source) for context, source, translation in _messages()
                  if translation is None or translation.get("type") is not None
                  or not (translation.text or "").strip()]
    assert unfinished == []


def test_translations_keep_their_placeholders():
    wrong = [(source, translation.text) for _, source, translation in _messages()
             if sorted(PLACEHOLDER.findall(source))
             != sorted(PLACEHOLDER.findall(translation.text or ""))]
    assert wrong == []


def test_every_explanation_template_has_chinese_with_the_same_placeholders():
    chinese = {source: translation.text for context, source, translation in _messages()
               if context == "Explanation"}
    for key, english in TEMPLATES.items():
        assert english in chinese, f"{key} is not in the .ts: run tools/update_translations.py"
        text = chinese[english]
        assert HAN.search(text), key
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(english)), key


def test_the_ts_covers_every_string_in_the_code(tmp_path):
    """lupdate over gui/*.py finds nothing new (else: tools/update_translations.py)."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import update_translations as tool
    finally:
        sys.path.remove(str(ROOT / "tools"))
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    subprocess.run([*tool.lupdate_command(), *map(str, tool.sources()), "-ts", str(copy),
                    "-no-obsolete", "-locations", "none", "-silent"], check=True, cwd=ROOT)
    root = ET.parse(copy).getroot()
    tool.add_engine_messages(root, tool.read_messages(TS))
    tool.write_ts(root, copy)
    assert tool.unfinished(copy) == []


def test_screenshot_in_chinese(qapp, tmp_path):
    out = tmp_path / "zh.png"
    result = window_cli("--screenshot", str(out), "--lang", "zh", "--step", "5", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)


def test_lang_needs_an_output(qapp):
    result = window_cli("--lang", "zh", cwd=ROOT)
    assert result.returncode == 2
    assert "--lang goes with" in result.stderr


def test_canvas_labels_name_a_big_tensor_in_chinese(window, qtbot):
    """"[4×250: 1000 values]" on the graph says its word in the UI language, as the
    explanation and the tables do (issue 24)."""
    import numpy as np

    from gui.canvas import label_text

    big = np.ones((4, 250))
    assert label_text.value_text(big) == "[4×250: 1000 values]"
    _switch(window, qtbot, "zh")
    text = label_text.value_text(big)
    assert "values" not in text and "1000" in text and text.startswith("[4×250: ")
    assert "values" not in label_text.sized("w: [8 values] → [8 values]")
    _switch(window, qtbot, "en")


def test_the_lesson_tables_name_a_vector_in_chinese(window, qtbot):
    """The value cell of an 8-entry vector read "[8 values]" beside a formula in Chinese."""
    from gui.state.model import Program

    window.load_program(Program("x = [1, 2, 3, 4, 5, 6, 7, 8]\nw = param(2.0)\n"
                                "loss = sum(w * x)", {}), 0, "vector")
    window.model.end()
    _switch(window, qtbot, "zh")
    cells = [window.tables.row_texts(k)[2] for k in range(1, window.model.length + 1)]
    assert any("8 个值" in cell for cell in cells), cells
    assert not any("values" in cell for cell in cells), cells
    _switch(window, qtbot, "en")
