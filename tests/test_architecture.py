"""The rules of issue 18 that keep the code easy to live in, checked on every change:

- no import circle anywhere in core/ or gui/, counting imports inside functions and under
  ``TYPE_CHECKING`` (grimp, which import-linter uses, reads every import statement);
- every room of core/ has an ``__init__`` docstring saying what lives there and what it
  may import;
- a module holds at most 400 lines (split a longer one: a file that does two jobs becomes
  two);
- a function holds at most 60 lines;
- the canvas's layers take its parts (scene, view, theme), never the canvas.

Module names here are dotted (``core.engine.graph``), so tools/move_core_into_rooms.py
rewrites them with the rest of the code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
#: the rooms issue 18 gives core/ (ninja is the learner's gradients mode)
ROOMS = {"base", "ops", "language", "engine", "checks", "io", "drawing", "record", "ninja"}
MAX_LINES = 400
#: modules over MAX_LINES (lines when listed, and why): none since the recorder's bootstrap
#: became a package and the parser's tables a module of their own. Never add one.
LONG_MODULES: dict[str, tuple[int, str]] = {}


def _import_graph() -> grimp.ImportGraph:
    return grimp.build_graph("core", "gui", include_external_packages=False)


def _circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iterative)."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for start in modules:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if i < len(edges[node]):
                work.append((node, i + 1))
                child = edges[node][i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted(groups)


def _describe(graph: grimp.ImportGraph, group: list[str]) -> str:
    """A circle's modules, and the imports that close it (with their lines)."""
    members = set(group)
    lines = []
    for importer in group:
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
            details = graph.get_import_details(importer=importer, imported=imported)
            where = ", ".join(f"line {d['line_number']}" for d in details)
            lines.append(f"    {importer} -> {imported} ({where})")
    return " ⇄ ".join(group) + "\n" + "\n".join(lines)


def test_the_circle_finder_finds_a_circle():
    """_circles on a made-up graph: a ⇄ b is found, c (imported by both) is not in it."""
    graph = grimp.ImportGraph()
    for importer, imported in (("x.a", "x.b"), ("x.b", "x.a"), ("x.a", "x.c"), ("x.b", "x.c")):
        graph.add_import(importer=importer, imported=imported)
    assert _circles(graph) == [["x.a", "x.b"]]


def test_no_import_circle_in_core_or_gui():
    graph = _import_graph()
    circles = _circles(graph)
    assert not circles, "import circles (imports inside functions and under TYPE_CHECKING " \
        "count):\n" + "\n".join(_describe(graph, group) for group in circles)


def test_every_room_says_what_lives_there_and_what_it_may_import():
    rooms = {p.parent.name: p for p in (ROOT / "core").glob("*/__init__.py")}
    missing = ROOMS - set(rooms)
    assert not missing, f"core/ lacks the rooms {sorted(missing)} (tools/move_core_into_rooms.py)"
    silent = []
    for name, init in sorted(rooms.items()):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        if len(doc) < 80 or "may import" not in doc.lower():
            silent.append(f"core/{name}/__init__.py")
    assert not silent, f"a room's docstring says what lives there and what it may import: {silent}"


def _module_lines() -> dict[str, int]:
    found = {}
    for package in ("core", "gui"):
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            with path.open(encoding="utf-8") as handle:
                found[name] = sum(1 for _ in handle)
    return found


def test_modules_stay_under_about_400_lines():
    lines = _module_lines()
    long = {name: n for name, n in lines.items() if n > MAX_LINES}
    new = sorted(f"{name}: {n} lines" for name, n in long.items() if name not in LONG_MODULES)
    # the listed ones, for the reader of -rA; one now short enough can leave the list
    stale = []
    for name, (then, why) in sorted(LONG_MODULES.items()):
        now = lines.get(name)
        if now is None or now <= MAX_LINES:
            stale.append(f"{name}: gone or short now, remove it from LONG_MODULES")
        elif now > then:
            stale.append(f"{name}: {now} lines, more than the {then} listed ({why})")
    assert not new, f"modules over {MAX_LINES} lines (split them): {new}"
    assert not stale, "\n".join(stale)


#: kept only as re-exports for the tests' and the README's contracts (issue 18)
SHIMS = {"gui.graph_canvas": "gui/graph_canvas.py",
         "gui.main_window": "gui/main_window/__init__.py"}


def test_the_shims_only_re_export_and_gui_itself_never_imports_them():
    graph = _import_graph()
    users = sorted(f"{importer} imports {shim}" for shim in SHIMS
                   for importer in graph.find_modules_that_directly_import(shim)
                   if importer not in SHIMS)
    assert not users, f"gui/ imports a shim (import the real module instead): {users}"
    for path in SHIMS.values():
        body = ast.parse((ROOT / path).read_text(encoding="utf-8")).body
        for statement in body:
            docstring = isinstance(statement, ast.Expr) and isinstance(statement.value,
                                                                        ast.Constant)
            exports = isinstance(statement, ast.Assign) and [
                getattr(t, "id", None) for t in statement.targets] == ["__all__"]
            assert docstring or exports or isinstance(statement, ast.ImportFrom), \
                f"{path}:{statement.lineno} does more than re-export"


#: issue 18: a function holds at most 60 lines, its ``def`` line to its last, docstring
#: included (a data table is not a function, so it needs no exemption)
MAX_FUNCTION_LINES = 60
#: today's longer functions (``path:Class.function`` → lines when listed): their owners
#: cut them. This list only shrinks: one that grows, is gone or is short now fails.
LONG_FUNCTIONS = {
    "gui/canvas/feature_maps.py:FeatureMapsBand._group": 64,  # the canvas helper's
    "gui/canvas/placement.py:_place": 77,  # the ux helper's (83 before the columns)
}


def _function_lengths(source: str, path: str) -> dict[str, int]:
    """Every function's (and method's, nested ones' too) lines, by ``path:qualified.name``."""
    found = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                found[f"{path}:{name}"] = child.end_lineno - child.lineno + 1
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return found


def _long_function_faults(lengths: dict[str, int], listed: dict[str, int]) -> list[str]:
    """What breaks the rule: a new long function, a listed one grown, gone or short now."""
    faults = [f"{name}: {n} lines (cut it into named parts)" for name, n in sorted(
        lengths.items()) if n > MAX_FUNCTION_LINES and name not in listed]
    for name, then in sorted(listed.items()):
        now = lengths.get(name)
        if now is None or now <= MAX_FUNCTION_LINES:
            faults.append(f"{name}: gone or short now, remove it from LONG_FUNCTIONS")
        elif now > then:
            faults.append(f"{name}: {now} lines, {then} when listed (it may only shrink)")
    return faults


def test_functions_stay_under_60_lines():
    lengths = {}
    for package in ("core", "gui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            lengths.update(_function_lengths(path.read_text(encoding="utf-8"),
                                             path.relative_to(ROOT).as_posix()))
    faults = _long_function_faults(lengths, LONG_FUNCTIONS)
    assert not faults, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(faults)


def test_the_function_rule_finds_long_functions_and_stale_listings():
    """On made-up source: a 61-line method fails, a 60-line function and a 70-line data
    table pass; a listed function that grew, shrank to 60 or is gone fails."""
    body = "".join(f"        x{i} = {i}\n" for i in range(59))
    table = "".join(f"    {i}: {i},\n" for i in range(68))
    source = (f"class A:\n    def long(self):\n{body}        return x0\n\n"
              f"def fits():\n{body.replace('        ', '    ')}\n"
              f"TABLE = {{\n{table}}}\n")
    lengths = _function_lengths(source, "m.py")
    assert lengths == {"m.py:A.long": 61, "m.py:fits": 60}
    assert _long_function_faults(lengths, {}) == ["m.py:A.long: 61 lines (cut it into named parts)"]
    assert _long_function_faults(lengths, {"m.py:A.long": 61}) == []
    assert _long_function_faults(lengths, {"m.py:A.long": 65}) == []  # shrank, still long
    assert _long_function_faults(lengths, {"m.py:A.long": 60, "m.py:fits": 61, "m.py:g": 70}) == [
        "m.py:A.long: 61 lines, 60 when listed (it may only shrink)",
        "m.py:fits: gone or short now, remove it from LONG_FUNCTIONS",
        "m.py:g: gone or short now, remove it from LONG_FUNCTIONS"]


#: the canvas's layers (issue 18): they take what they draw (scene, viewport, theme, the
#: graph's nodes) and never the canvas, so one is built and tested without a GraphCanvas
#: (tests/gui/test_canvas_layers.py). The canvas's collaborators (view, blit, pan,
#: tangent_labels.Tangents …) hold it; these do not.
LAYER_MODULES = ("gui/canvas/geometry.py", "gui/canvas/label_artists.py",
                 "gui/canvas/label_text.py", "gui/canvas/tangent_layer.py",
                 "gui/canvas/scene.py")
#: what names the canvas's type: its module, its shim, the artists' Protocol of it
CANVAS_MODULES = ("gui.canvas.widget", "gui.graph_canvas", "gui.canvas.host")


def _canvas_reads(source: str, path: str) -> list[str]:
    """Where ``source`` takes or reads a canvas: a parameter named ``canvas``, the name
    ``canvas`` (``canvas.pos``), an attribute ``.canvas`` (``self.canvas``), or an
    import of the canvas's type."""
    faults = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.arg) and node.arg == "canvas":
            fault = "takes a canvas"
        elif isinstance(node, ast.Name) and node.id == "canvas":
            fault = "reads canvas"
        elif isinstance(node, ast.Attribute) and node.attr == "canvas":
            fault = "reads .canvas"
        elif isinstance(node, ast.ImportFrom) and (node.module in CANVAS_MODULES or any(
                f"{node.module}.{a.name}" in CANVAS_MODULES for a in node.names)):
            fault = f"imports {node.module}"
        elif isinstance(node, ast.Import) and any(a.name in CANVAS_MODULES for a in node.names):
            fault = "imports the canvas"
        else:
            continue
        faults.append((node.lineno, f"{path}:{node.lineno}: {fault}"))
    return [fault for _, fault in sorted(faults)]


def test_the_layers_take_the_canvas_parts_never_the_canvas():
    faults = [fault for path in LAYER_MODULES for fault in _canvas_reads(
        (ROOT / path).read_text(encoding="utf-8"), path)]
    assert not faults, "a layer reads the canvas (pass it the scene, view, theme):\n" + \
        "\n".join(faults)


def test_the_layer_rule_finds_a_canvas_taken_or_read():
    """On made-up source: each way of reaching the canvas is found, with its line; a
    layer that takes a scene and a view passes (a word in a string or comment is no read)."""
    bad = ("from gui.canvas.host import CanvasHost\n"
           "from gui.canvas import widget\n"
           "def draw(canvas, renderer):\n"
           "    return renderer\n"
           "class Layer:\n"
           "    def __init__(self, host):\n"
           "        self.canvas = host\n"
           "    def centres(self):\n"
           "        return self.canvas.scene.pos\n"
           "POS = lambda: canvas.pos\n"
           "import gui.canvas.widget\n")
    assert _canvas_reads(bad, "m.py") == [
        "m.py:1: imports gui.canvas.host", "m.py:2: imports gui.canvas",
        "m.py:3: takes a canvas", "m.py:7: reads .canvas", "m.py:9: reads .canvas",
        "m.py:10: reads canvas", "m.py:11: imports the canvas"]
    good = ("from gui.canvas.scene import Scene\n"
            "def centres(scene: Scene, view):\n"
            "    '''Where the canvas would draw them.'''  # not the canvas itself\n"
            "    return view.transform.transform(scene.pos)\n")
    assert _canvas_reads(good, "m.py") == []
