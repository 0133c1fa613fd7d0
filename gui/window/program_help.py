"""Help → Writing a Program: what a program and a script may contain, with examples
(issue 24, item 13). A non-modal window with a scrolling page, so that one can keep
typing beside it; each section is its own message for the translators."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

translate = QCoreApplication.translate

#: the examples are code: never translated, shown as written
PROGRAM_EXAMPLE = """w = param(1.0)      # a parameter: it gets a gradient
x = 1.0             # data
y = 2.0
y_hat = w * x
s = y_hat - y
loss = s ** 2"""
NETWORK_EXAMPLE = """X = [[1, 2, 3], [4, -5, 6]]          # data, 2×3
W = param([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])
b = param([0.1, -0.2])
h = relu(X @ W + b)
loss = mean(h)"""
SCRIPT_EXAMPLE = """import torch

X = torch.tensor([1.0, 2.0, 3.0, 4.0])
Y = torch.tensor([2.0, 4.0, 6.0, 8.0])
w = torch.tensor(0.0, requires_grad=True)
optimizer = torch.optim.SGD([w], lr=0.01)

for epoch in range(20):
    loss = ((w * X - Y) ** 2).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    print(f"epoch {epoch + 1}: w = {w.item():.3f}, loss = {loss.item():.4f}")"""


def _code(text: str) -> str:
    return f"<pre>{escape(text)}</pre>"


def help_html(declarations: str) -> str:
    """The whole page; ``declarations`` is the editor panel's section on inputs."""
    parts = [
        declarations,
        translate("ProgramHelp",
          "<h3>A program</h3>"
          "<p>A program is a few lines that compute a loss, each <code>name = "
          "expression</code>, with no loops. It is read, never run: every line becomes "
          "nodes of the graph you step through. It may contain:</p><ul>"
          "<li>numbers, names, <code>+ - * / **</code>, <code>@</code> (matrix product), "
          "parentheses;</li>"
          "<li>the functions exp, log, sqrt, sin, cos, tanh, sigmoid, relu, abs, sum, "
          "mean, max, min, softmax, log_softmax, also as <code>torch.exp(x)</code>, "
          "<code>F.relu(x)</code> or methods (<code>s.pow(2)</code>, "
          "<code>v.sum()</code>);</li>"
          "<li>tensors: nested lists, <code>torch.tensor(…)</code>, "
          "<code>torch.zeros</code>, <code>ones</code>, <code>randn</code> …, with "
          "<code>.T</code>, <code>reshape</code>, <code>dim=</code>;</li>"
          "<li>the losses <code>F.mse_loss</code>, <code>F.cross_entropy</code>, "
          "<code>F.binary_cross_entropy</code>, <code>F.nll_loss</code>;</li>"
          "<li><code>import torch</code>, <code>print(…)</code> and "
          "<code>loss.backward()</code>, so PyTorch code pastes as it is.</li></ul>"
          "<p>The lesson:</p>"),
        _code(PROGRAM_EXAMPLE),
        translate("ProgramHelp", "<p>A one-layer network (Examples → A one-layer network):</p>"),
        _code(NETWORK_EXAMPLE),
        translate("ProgramHelp",
          "<h3>A training script</h3>"
          "<p>A text the program form cannot read (with <code>for i in range(…)</code>, "
          "<code>while</code>, <code>def</code>, <code>if</code>, <code>with</code> or "
          "<code>class</code>, or an import other than <code>torch</code>, "
          "<code>torch.nn</code> and <code>torch.nn.functional</code>) is a script. "
          "Apply does not build it: Run (Ctrl+R) runs it as <code>python FILE</code> "
          "would, with real PyTorch and your permissions, and records what PyTorch did. "
          "Each <code>backward()</code> call becomes a pass you can step (Ctrl+] and "
          "Ctrl+[), each rule checked against torch's numbers; the update phase shows "
          "<code>optimizer.step()</code> (<code>torch.optim.SGD</code>, Adam) or your "
          "own update in <code>with torch.no_grad():</code>, and the Output pane shows "
          "what the script printed. Anything Python runs may be in it: "
          "<code>nn.Linear</code>, <code>nn.Module</code> classes, numpy, "
          "scikit-learn.</p>"
          "<p>Examples → Next lessons has lessons of this kind. Linear regression by "
          "gradient descent:</p>"),
        _code(SCRIPT_EXAMPLE),
        translate("ProgramHelp",
          "<h3>When something is wrong</h3>"
          "<p>The line and column are marked in the editor. A misspelt name gets "
          "<i>did you mean …?</i> with a button that fixes it; names nobody gave a "
          "value get a button that adds them to the Variables table. numpy "
          "(<code>np.exp</code>) is not read: write the torch form.</p>"),
    ]
    return "".join(parts)


class ProgramHelp(QDialog):
    """Not modal: the page stays open beside the editor."""

    def __init__(self, html: str, parent=None):
        super().__init__(parent)
        self.setObjectName("programHelpBox")
        self.setWindowTitle(translate("MainWindow", "Writing a Program"))
        self.setModal(False)
        self.browser = QTextBrowser(objectName="programHelpText")
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(html)
        self.browser.setAccessibleName(translate("MainWindow", "Writing a Program"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(640, 620)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)

    def text(self) -> str:
        """What the page says, as plain text."""
        return self.browser.toPlainText()
