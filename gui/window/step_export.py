"""The whole step-through as an animated GIF or a PDF handout: one frame / page per step.

Every frame is drawn by a real :class:`~gui.canvas.widget.GraphCanvas` (never shown),
so the graph looks as it does in the app at that position; a band above it carries the
step's title ("Step k of N · phase"), its equation and its explanation sentence, in
English or in Simplified Chinese (through the Qt translation, when one is installed or
can be loaded; English otherwise).

    export_steps(trace, "steps.gif")            # Pillow, one shared palette
    export_steps(trace, "handout.pdf", lang="zh")  # vector pages, fonts embedded

Needs a ``QApplication`` (the canvas is a widget).
"""

from __future__ import annotations

import io
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from core.engine.explain import render
from core.engine.trace import PHASE_TITLES, NoParameterStep, Stepper, Trace
from gui.canvas.edge_names import may_need_markers
from gui.canvas.edge_names_export import markers_in_figure
from gui.support import fonts

SUFFIXES = (".gif", ".pdf")
LANGUAGES = ("en", "zh")
DPI = 100
#: how long a GIF frame stays (ms); the last one longer, before the loop starts again
FRAME_MS, LAST_FRAME_MS = 2600, 5000
GIF_COLOURS = 128

TITLE_SIZE, EQUATION_SIZE, TEXT_SIZE = 15.0, 14.0, 12.0
LINE_GAP = 1.35  # line height / font size
MARGIN = 22.0  # points around the text band

# the same words the window shows; lupdate finds these through the tr() calls of the
# window (ExplanationView) and texts.phase_title, so a translation covers both
_TITLE = "Step {0} of {1} · {2}"


class ExportError(ValueError):
    """The export cannot be made: an unknown suffix or language, or nothing to show."""


@dataclass
class _Frame:
    title: str
    equation: list[str]
    explanation: list[str]
    colour: str


def export_steps(trace: Trace, path: str | Path, lang: str = "en",
                 size: tuple[int, int] = (1200, 800)) -> None:
    """Write positions 1..N of ``trace`` to ``path`` (.gif or .pdf) in language ``lang``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportError(f"cannot export the steps to '{suffix or path.name}': "
                          "use .gif or .pdf")
    lang = (lang or "en").lower().replace("-", "_")
    if lang.split("_")[0] not in LANGUAGES:
        raise ExportError(f"unknown language '{lang}': use en or zh")
    if not len(trace):
        raise ExportError("the program has no steps to export")
    width, height = (int(v) for v in size)
    if width < 300 or height < 200:
        raise ExportError(f"a frame of {width}×{height} is too small (at least 300×200)")
    chinese = lang.startswith("zh")
    if chinese:
        fonts.use_cjk()
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: there is no folder {path.parent}")
    with _language(chinese):  # the canvas's legend is translated too
        texts = [_step_texts(trace, k, chinese) for k in range(1, len(trace) + 1)]
        renderer = _Renderer(trace, texts, width, height, translate=chinese)
    try:
        if suffix == ".gif":
            renderer.write_gif(path)
        else:
            renderer.write_pdf(path)
    finally:
        renderer.close()


def current_language() -> str:
    """"zh" when the UI shows the (Chinese, the only) translation now, else "en"."""
    from gui.support import i18n

    probe = "Forward pass"  # also sees a translator installed without gui.support.i18n
    translated = QCoreApplication.translate("BackpropStepper", probe) != probe
    return "zh" if translated or i18n.current_language() == "zh" else "en"


# ---- words ---------------------------------------------------------------------------


class _language:
    """English straight from the engine; Chinese through Qt's translator.

    When the app has no Chinese translator installed, one is loaded for the export
    from resources/translations and removed afterwards; without a .qm file the words
    stay English (the graph still gets the CJK font list).
    """

    def __init__(self, chinese: bool):
        self.chinese = chinese
        self.translator: QTranslator | None = None

    def __enter__(self):
        if not self.chinese or QCoreApplication.instance() is None:
            return self
        from gui.support.resources import resource

        translator = QTranslator()
        locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
        if translator.load(locale, "backprop_stepper", "_", str(resource("translations"))):
            QCoreApplication.installTranslator(translator)
            self.translator = translator
        return self

    def __exit__(self, *exc) -> None:
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None


def _translate(text: str, contexts: tuple[str, ...]) -> str:
    for context in contexts:
        translated = QCoreApplication.translate(context, text)
        if translated != text:
            return translated
    return text


def _step_texts(trace: Trace, position: int, chinese: bool) -> tuple[str, str, str, str]:
    """(title, equation, explanation, phase) of step ``position``."""
    from gui.support.texts import brief, engine_words
    from gui.support.theme import phase_colour

    step = trace.step(position)
    if chinese:
        from gui.support.texts import explain, phase_title

        phase = phase_title(step.phase)
        title = _translate(_TITLE, ("StepExport", "ExplanationView"))
        explanation = explain(step.explanation)
    else:
        phase = PHASE_TITLES.get(step.phase, step.phase)
        title = _TITLE
        explanation = render(step.explanation)
    # a sum of hundreds of terms as its first and last ones, as the window shows it
    equation = "" if isinstance(step, NoParameterStep) else brief(step, "equation")
    if chinese:  # its size words and left-out terms as the Chinese window writes them
        equation = engine_words(equation)
    return (title.format(position, len(trace), phase), equation, explanation,
            phase_colour(step.phase, False))


# ---- drawing -------------------------------------------------------------------------


class _Renderer:
    """One hidden GraphCanvas with a text band on top; a frame per position."""

    def __init__(self, trace: Trace, texts: list, width: int, height: int,
                 translate: bool = False):
        from matplotlib.font_manager import FontProperties

        from gui.canvas import LEGEND_HEIGHT, GraphCanvas

        self.trace = trace
        self.width, self.height = width, height
        fonts.ensure_for(t for title, eq, expl, _ in texts for t in (title, eq, expl))
        canvas = GraphCanvas()
        canvas.translate_legend = translate
        self.canvas = canvas
        figure = canvas.figure
        figure.set_dpi(DPI)
        figure.set_size_inches(width / DPI, height / DPI)
        self._props = {
            "title": FontProperties(size=TITLE_SIZE, weight="bold"),
            "equation": FontProperties(size=EQUATION_SIZE),
            "text": FontProperties(size=TEXT_SIZE),
        }
        renderer = canvas.get_renderer()
        usable = width * 72 / DPI - 2 * MARGIN  # points
        self.frames = []
        for title, equation, explanation, colour in texts:
            self.frames.append(_Frame(
                title,
                _wrap(equation, usable, self._props["equation"], renderer, " = "),
                _wrap(explanation, usable, self._props["text"], renderer),
                colour))
        eq_lines = max(len(f.equation) for f in self.frames)
        text_lines = max(len(f.explanation) for f in self.frames)
        band = (2 * MARGIN + TITLE_SIZE * LINE_GAP + 4
                + EQUATION_SIZE * LINE_GAP * eq_lines + 4 + TEXT_SIZE * LINE_GAP * text_lines)
        band_fraction = min(0.45, band / (height * 72 / DPI))
        self.band_fraction = band_fraction
        canvas.ax.set_position((0.0, LEGEND_HEIGHT, 1.0, 1.0 - LEGEND_HEIGHT - band_fraction))
        canvas.set_trace(trace)
        self._make_band(eq_lines)

    def _make_band(self, eq_lines: int) -> None:
        from matplotlib.lines import Line2D

        figure = self.canvas.figure
        fg = self.canvas.colours["fg"]
        h_pt = self.height * 72 / DPI
        x = MARGIN / (self.width * 72 / DPI)

        def y(points_from_top: float) -> float:
            return 1.0 - points_from_top / h_pt

        top = MARGIN
        common = {"ha": "left", "va": "top", "parse_math": False, "transform": figure.transFigure}
        self.title = figure.text(x, y(top), "", fontproperties=self._props["title"], **common)
        top += TITLE_SIZE * LINE_GAP + 4
        self.equation = figure.text(x, y(top), "", fontproperties=self._props["equation"],
                                    linespacing=LINE_GAP, **common)
        top += EQUATION_SIZE * LINE_GAP * eq_lines + 4
        self.explanation = figure.text(x, y(top), "", fontproperties=self._props["text"],
                                       color=fg, linespacing=LINE_GAP, **common)
        line_y = 1.0 - self.band_fraction
        figure.add_artist(Line2D([x, 1 - x], [line_y, line_y], transform=figure.transFigure,
                                 color=self.canvas.colours["not_needed"], linewidth=0.8))

    def _frames(self):
        """Set the canvas and the band to each position in turn; yields the position."""
        stepper = Stepper(self.trace)
        for position, frame in enumerate(self.frames, start=1):
            stepper.goto(position)
            self.canvas.show_state(stepper.known, stepper.current)
            self.title.set_text(frame.title)
            self.title.set_color(frame.colour)
            self.equation.set_text("\n".join(frame.equation))
            self.equation.set_color(frame.colour)
            self.explanation.set_text("\n".join(frame.explanation))
            yield position

    def _names_at_edge(self):
        """The names of the step's neighbours that the view's edge cuts, as the window
        shows them (edge_names_export.py); the frame is drawn first to place them, when
        a neighbour reaches out of the view."""
        canvas = self.canvas
        if not may_need_markers(canvas):
            return nullcontext()
        canvas.draw()
        return markers_in_figure(canvas)

    def _rgb(self):
        from PIL import Image

        buffer = io.BytesIO()
        with self._names_at_edge():
            self.canvas.print_figure(buffer, format="rgba", dpi=DPI,
                                     facecolor=self.canvas.colours["bg"])
        image = Image.frombuffer("RGBA", (self.width, self.height), buffer.getbuffer(),
                                 "raw", "RGBA", 0, 1)
        return image.convert("RGB")

    def write_gif(self, path: Path) -> None:
        from PIL import Image

        images = [self._rgb() for _ in self._frames()]
        # one palette for all frames: no local colour tables, and unchanged pixels keep
        # their index, so Pillow stores only the rectangle that changed between frames
        strip = Image.new("RGB", (self.width, self.height * len(images)))
        for i, image in enumerate(images):
            strip.paste(image, (0, i * self.height))
        palette = self._palette(strip.reduce(2))
        frames = [image.quantize(palette=palette, dither=Image.Dither.NONE)
                  for image in images]
        durations = [FRAME_MS] * (len(frames) - 1) + [LAST_FRAME_MS]
        frames[0].save(path, format="GIF", save_all=True, append_images=frames[1:],
                       duration=durations, loop=0, optimize=True, disposal=1)

    def _palette(self, sample):
        """The theme's colours exactly, then what the frames need most (maximum coverage
        keeps white exact where median cut averages it away; smallest file of those
        tried). A pale grey that covers few pixels would otherwise turn pale green."""
        from matplotlib.colors import to_rgb
        from PIL import Image

        from gui.support.theme import PHASE_COLOURS

        exact = []
        for colour in [*self.canvas.colours.values(), *PHASE_COLOURS[False].values()]:
            rgb = tuple(round(255 * c) for c in to_rgb(colour))
            if rgb not in exact:
                exact.append(rgb)
        rest = sample.quantize(GIF_COLOURS - len(exact), method=Image.Quantize.MAXCOVERAGE)
        flat = rest.getpalette()[: 3 * (GIF_COLOURS - len(exact))]
        colours = exact + [tuple(flat[i:i + 3]) for i in range(0, len(flat), 3)]
        palette = Image.new("P", (1, 1))
        palette.putpalette([v for rgb in colours for v in rgb])
        return palette

    def write_pdf(self, path: Path) -> None:
        from matplotlib.backends.backend_pdf import PdfPages

        with PdfPages(path, metadata={"Title": "Backprop Stepper: step by step",
                                      "Creator": "Backprop Stepper"}) as pdf:
            for _ in self._frames():
                with self._names_at_edge():
                    pdf.savefig(self.canvas.figure, facecolor=self.canvas.colours["bg"])

    def close(self) -> None:
        self.canvas.deleteLater()


def _wrap(text: str, width_pt: float, props, renderer, prefer: str = " ") -> list[str]:
    """Lines of ``text`` no wider than ``width_pt``: break at spaces, or between CJK
    characters (which have no spaces between them); ``prefer`` is tried first."""
    if not text:
        return []
    scale = 72 / renderer.dpi

    def width(s: str) -> float:
        w, _, _ = renderer.get_text_width_height_descent(s, props, ismath=False)
        return w * scale

    if width(text) <= width_pt:
        return [text]
    tokens = _tokens(text, prefer)
    lines, line = [], ""
    for token in tokens:
        candidate = line + token
        if line and width(candidate.rstrip()) > width_pt:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line = candidate
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _tokens(text: str, prefer: str) -> list[str]:
    """Pieces that may start a new line: words with their trailing space, CJK chars."""
    if prefer != " " and prefer in text:
        parts = text.split(prefer)  # "a = b = c" -> "a = ", "b = ", "c"
        return [p + (prefer if i < len(parts) - 1 else "") for i, p in enumerate(parts)]
    tokens: list[str] = []
    current = ""
    for c in text:
        if c == " ":
            tokens.append(current + c)
            current = ""
        elif c >= "\u2e80" and not _closing(c):
            if current:
                tokens.append(current)
            current = c
        else:
            current += c
    if current:
        tokens.append(current)
    return tokens


def _closing(c: str) -> bool:
    """CJK punctuation that must not start a line (，。、；：？！）」)."""
    return c in "，。、；：？！）」』】》,.;:?!)"

