"""The UI language: English (the source text) or Simplified Chinese, switched live.

``apply_language("zh")`` installs the app's translation (``resources/translations/
backprop_stepper_zh_CN.qm``, compiled from the committed ``.ts`` by the set-up) and Qt's
own (standard buttons of message boxes and file dialogs), and turns on the CJK font
fallback. Installing or removing a translator makes Qt send ``QEvent.LanguageChange`` to
every widget; each panel re-sets its words in ``changeEvent`` (see :class:`Retranslator`).

The choice is ``"system"`` (follow ``QLocale.system()``), ``"en"`` or ``"zh"``; only the
interactive launch stores it (QSettings key ``language``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

CATALOG = "backprop_stepper"
SYSTEM = "system"
#: language code → the translation file's locale (None: the source text, no file)
LANGUAGES: dict[str, str | None] = {"en": None, "zh": "zh_CN"}
#: how each language is named in the menu: in itself, so anyone can find their own
ENDONYMS = {"en": "English", "zh": "简体中文"}

_installed: list[QTranslator] = []
_state = {"choice": SYSTEM, "language": "en"}


def normalise(lang: str | None) -> str:
    """``zh``, ``zh_CN``, ``zh-Hans`` → ``zh``; ``en_GB`` → ``en``; ``system``/None → system."""
    if not lang:
        return SYSTEM
    code = lang.strip().lower().replace("-", "_")
    if code == SYSTEM:
        return SYSTEM
    base = code.split("_")[0]
    if base not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}': use en or zh")
    return base


def system_language() -> str:
    """What the system locale asks for: Chinese (any script) → ``zh``, else ``en``."""
    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def resolve(choice: str | None) -> str:
    """The language a choice means now (``system`` looks at the system locale)."""
    choice = normalise(choice)
    return system_language() if choice == SYSTEM else choice


def translations_dir() -> str:
    from gui.support.resources import resource

    return str(resource("translations"))


def _load(name: str, folder: str) -> QTranslator | None:
    translator = QTranslator()
    return translator if translator.load(name, folder) else None


def apply_language(choice: str | None = SYSTEM) -> str:
    """Install the translators for ``choice``; returns the language now in use.

    Chinese without its compiled ``.qm`` (a checkout where the set-up has not run)
    stays English. Safe to call again: the previous translators are removed first.
    """
    choice = normalise(choice)
    language = resolve(choice)
    app = QCoreApplication.instance()
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    suffix = LANGUAGES[language]
    if suffix is not None and app is not None:
        ours = _load(f"{CATALOG}_{suffix}", translations_dir())
        if ours is None:
            language = "en"
        else:
            qt_own = _load(f"qtbase_{suffix}",
                           QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
            for translator in (qt_own, ours):
                if translator is not None:
                    QCoreApplication.installTranslator(translator)
                    _installed.append(translator)
    if language == "zh":
        from gui.support import fonts

        fonts.use_cjk()
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    else:  # the bare C locale (LANG=C) would write dates as "6 12 2026 03:55": English
        system = QLocale.system()
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
                           if choice == "en" or system.language() == QLocale.Language.C
                           else system)
    _state["choice"], _state["language"] = choice, language
    return language


def current_language() -> str:
    """``en`` or ``zh``: what the UI shows now."""
    return _state["language"]


def current_choice() -> str:
    """``system``, ``en`` or ``zh``: what was asked for."""
    return _state["choice"]


class Retranslator:
    """Words of a widget that follow the language: each a setter and a ``tr`` call.

    ``bind(label.setText, lambda: self.tr("Code"))`` sets the text now and again on every
    :meth:`apply` (from the widget's ``changeEvent`` on ``QEvent.LanguageChange``). The
    ``self.tr("…")`` stays literal in the source, so ``pyside6-lupdate`` still finds it.
    """

    def __init__(self) -> None:
        self._items: list[tuple[Callable[[str], object], Callable[[], str]]] = []

    def bind(self, setter: Callable[[str], object], text: Callable[[], str]) -> None:
        setter(text())
        self._items.append((setter, text))

    def apply(self) -> None:
        for setter, text in self._items:
            setter(text())
