"""Move the flat ``core/`` into rooms by layer (issue 18), reproducibly.

Run from the repository root, on a clean checkout, after every branch that edits ``core/``
has been merged::

    .venv/bin/python tools/move_core_into_rooms.py            # move, rewrite, verify
    .venv/bin/python tools/move_core_into_rooms.py --dry-run  # print the plan only
    .venv/bin/python tools/move_core_into_rooms.py --map codegen=engine  # a new module

It ``git mv``s each module into its room (a module already moved is skipped, so a second
run changes nothing), writes each room's ``__init__.py`` docstring, rewrites every
reference to the old paths (imports, ``from core import x``, dotted strings such as
monkeypatch targets and ``-m core.worker``, ``core/x.py`` paths in docs), adds the
import-linter ``layers`` contract to pyproject.toml, sorts the imports it touched with
ruff, and fails when an old path is still named anywhere.

A top-level ``core/*.py`` this mapping does not know stops the run before anything is
changed, listing the modules: add them to ``ROOMS`` (or pass ``--map name=room``).
Standard library only (ruff, when present beside this Python, sorts the imports).
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

from move_core_rooms_data import (
    CONTRACT,
    CONTRACT_NAME,
    DEBTS,
    DOCS,
    MAY_IMPORT,
    MOVED_SUBMODULES,
    NAME_RULES,
    RENAMED,
    ROOM_ORDER,
    ROOMS,
    STAY,
)

ROOT = Path.cwd()
CORE = ROOT / "core"
#: the files whose text may name a core module (this script and its table excepted)
TEXT_GLOBS = ("core/**/*.py", "gui/**/*.py", "tests/**/*.py", "benchmarks/**/*.py",
              "tools/**/*.py", "main.py", "*.spec", "packaging/**/*", "pyproject.toml",
              "Makefile", "README.md", "docs/*.md", ".ci/*",
              "resources/translations/*.ts")
SELF = {"tools/move_core_into_rooms.py", "tools/move_core_rooms_data.py"}
#: ruff's line length (pyproject.toml)
LIMIT = 100
#: stands for the dot of a room's name while the rewrite runs (never in a source file)
MARK = "\x00"
#: the packages whose ``from PKG import name`` may name a moved module
FROM_PACKAGES = ("core", "core.record")


def room_of(name: str, extra: dict[str, str]) -> tuple[str | None, str]:
    """(room, why) for a top-level module ``name``; room None when nothing says."""
    if name in extra:
        return extra[name], "--map"
    for room, names in ROOMS.items():
        if name in names:
            return room, "table"
    for pattern, room in NAME_RULES:
        if re.search(pattern, name):
            return room, f"rule {pattern!r}"
    return None, ""


def plan(extra: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """old dotted name → new dotted name for every module to move, and the unknown ones.

    A module already in its room (the old file gone, the new one there) is planned too,
    so references to its old name are still rewritten."""
    moves: dict[str, str] = {}
    unknown = []
    for room, names in ROOMS.items():  # the table's modules, wherever they are now
        for name in names:
            new_name = RENAMED.get(name, name)
            # a module that gave its name to its room is that room once moved
            moved = name not in RENAMED and (CORE / room / f"{new_name}.py").is_file()
            if (CORE / f"{name}.py").is_file() or moved:
                moves[f"core.{name}"] = f"core.{room}.{new_name}"
    for path in sorted(CORE.glob("*.py")):
        name = path.stem
        if name in STAY or f"core.{name}" in moves:
            continue
        room, why = room_of(name, extra)
        if room is None:
            unknown.append(name)
            continue
        print(f"  core/{name}.py → core/{room}/ ({why})")
        moves[f"core.{name}"] = f"core.{room}.{name}"
    for old, new in MOVED_SUBMODULES.items():
        if _file(old).is_file() or _file(new).is_file():
            moves[old] = new
    return moves, unknown


def _file(dotted: str) -> Path:
    return ROOT.joinpath(*dotted.split(".")).with_suffix(".py")


def git(*args: str) -> None:
    subprocess.run(["git", *args], cwd=ROOT, check=True)


def move_files(moves: dict[str, str]) -> None:
    """``git mv`` each module not yet in its room."""
    for old, new in moves.items():
        source, target = _file(old), _file(new)
        if source.is_file() and target.is_file():
            sys.exit(f"both {source.relative_to(ROOT)} and {target.relative_to(ROOT)} exist")
        if source.is_file():
            target.parent.mkdir(exist_ok=True)
            git("mv", str(source.relative_to(ROOT)), str(target.relative_to(ROOT)))


def write_rooms() -> None:
    """Each room's ``__init__.py`` with its docstring; an existing room's docstring gets
    what it may import when it does not say. Written after the rewrite, which must not
    read the room ``core.language`` as the old module."""
    for room in ROOM_ORDER:
        (CORE / room).mkdir(exist_ok=True)
        init = CORE / room / "__init__.py"
        if not init.is_file():
            init.write_text(f'"""{DOCS[room]}"""\n', encoding="utf-8")
            git("add", str(init.relative_to(ROOT)))
        text = init.read_text(encoding="utf-8")
        end = text.find('"""', 3)
        if room in MAY_IMPORT and "may import" not in text[:end].lower():
            init.write_text(text[:end].rstrip("\n") + f"\n\n{MAY_IMPORT[room]}\n" + text[end:],
                            encoding="utf-8")


def dotted_pattern(moves: dict[str, str]) -> re.Pattern:
    """``core.x`` (or ``core.record.x``) as a whole name, never ``np.core.x`` nor
    ``core.xy``; ``core.language`` only where it is not already the room."""
    alternatives = []
    for old, new in sorted(moves.items(), key=lambda kv: -len(kv[0])):
        escaped = re.escape(old)
        if new.startswith(old + "."):  # the module gives its name to its room
            room = new.rsplit(".", 1)[0].split(".", 1)[1]
            members = "|".join(sorted({n.rsplit(".", 1)[1] for n in moves.values()
                                       if n.startswith(f"core.{room}.")}))
            escaped += rf"(?!\.(?:{members})\b)"
        alternatives.append(escaped)
    return re.compile(r"(?<![\w.])(" + "|".join(alternatives) + r")(?![\w])")


def path_pattern(moves: dict[str, str]) -> re.Pattern:
    olds = sorted((old.replace(".", "/") for old in moves), key=len, reverse=True)
    return re.compile(r"(?<![\w/.])(" + "|".join(map(re.escape, olds)) + r")\.py\b")


FROM_IMPORT = re.compile(r"(?<![\w.])from (" + "|".join(map(re.escape, FROM_PACKAGES))
                         + r") import (\([^)]*\)|[^\n;#)\"']*[^\n;#)\"'\s])")


def rewrite_from_import(match: re.Match, moves: dict[str, str], indent: str) -> str:
    """``from core import a, b as c``: each name from its room, one statement per room."""
    package, body = match.group(1), match.group(2)
    names = [n.strip() for n in body.strip("()").replace("\n", " ").split(",") if n.strip()]
    groups: dict[str, list[str]] = {}
    for name in names:
        module = f"{package}.{name.split()[0]}"
        target = moves.get(module)
        source, new = (target.rsplit(".", 1) if target else (package, name.split()[0]))
        alias = name.split()[1:] or (["as", name] if new != name else [])
        # the room is marked so the dotted rewrite never reads it as an old module
        groups.setdefault(source.replace(".", MARK), []).append(" ".join([new, *alias]))
    if list(groups) == [package.replace(".", MARK)] and all(f"{package}.{n.split()[0]}" not in moves
                                          for n in names):
        return match.group(0)
    parts = [f"from {source} import {', '.join(items)}" for source, items in groups.items()]
    return ("\n" + indent).join(parts)


def rewrite_text(text: str, moves: dict[str, str], dotted: re.Pattern,
                 paths: re.Pattern) -> str:
    def from_import(match: re.Match) -> str:
        line_start = text.rfind("\n", 0, match.start()) + 1
        indent = re.match(r"[ \t]*", text[line_start:]).group(0)
        return rewrite_from_import(match, moves, indent)

    text = FROM_IMPORT.sub(from_import, text)
    text = dotted.sub(lambda m: moves[m.group(1)], text)
    by_path = {old.replace(".", "/"): new.replace(".", "/") for old, new in moves.items()}
    return paths.sub(lambda m: by_path[m.group(1)] + ".py", text).replace(MARK, ".")


def text_files() -> list[Path]:
    found = set()
    for pattern in TEXT_GLOBS:
        for path in ROOT.glob(pattern):
            rel = path.relative_to(ROOT).as_posix()
            if path.is_file() and rel not in SELF and "__pycache__" not in rel:
                found.add(path)
    return sorted(found)


def rewrite_all(moves: dict[str, str]) -> list[Path]:
    dotted, paths = dotted_pattern(moves), path_pattern(moves)
    changed = []
    for path in text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = rewrite_text(text, moves, dotted, paths)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def add_contract(moves: dict[str, str]) -> None:
    """The rooms' layers contract, once; with the known debts that still exist."""
    pyproject = ROOT / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    if CONTRACT_NAME in text:
        return
    ignores = []
    for importer, imported, why in DEBTS:
        source = _file(importer)
        if source.is_file() and re.search(rf"\b{re.escape(imported)}\b", source.read_text()):
            ignores.append(f'    # {why}\n    "{importer} -> {imported}",\n')
    contract = CONTRACT
    if ignores:
        contract += "ignore_imports = [\n" + "".join(ignores) + "]\n"
    pyproject.write_text(text.rstrip("\n") + "\n\n" + contract, encoding="utf-8")


def sort_imports(changed: list[Path]) -> None:
    """ruff's isort on the Python files the rewrite touched (a room sorts differently)."""
    ruff = Path(sys.executable).parent / "ruff"
    files = [str(p) for p in changed if p.suffix == ".py"]
    if not ruff.is_file():
        print("ruff not found beside this Python: sort the imports with ruff --select I --fix")
    elif files:
        subprocess.run([str(ruff), "check", "--quiet", "--select", "I001", "--fix", *files],
                       cwd=ROOT, check=False)


#: tokens around a statement that is a string alone (a docstring: its text may wrap)
_STATEMENT_EDGE = {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT,
                   tokenize.ENCODING, tokenize.COMMENT}


def _is_docstring(token: tokenize.TokenInfo, tokens: list) -> bool:
    """A triple-quoted string that is a statement of its own (its value is never used)."""
    if token.type != tokenize.STRING or token.string[-3:] not in ('"""', "'''"):
        return False
    at = tokens.index(token)
    before = [t.type for t in tokens[:at] if t.type not in _STATEMENT_EDGE]
    previous = tokens[at - 1].type if at else tokenize.NEWLINE
    after = tokens[at + 1].type if at + 1 < len(tokens) else tokenize.NEWLINE
    return (previous in _STATEMENT_EDGE or not before) and after == tokenize.NEWLINE


def _split_at(line: str, tokens: list, number: int) -> tuple[str, bool] | None:
    """``line`` (line ``number``) broken once where Python allows it, or None: at a
    space inside a comment or a docstring, or after a comma in brackets; and whether
    the rest may join the next line (prose of a docstring)."""
    for col in range(min(len(line) - 1, LIMIT), 0, -1):
        if line[col] != " " or not line[:col].strip():
            continue
        inside = [t for t in tokens if t.start <= (number, col) < t.end]
        head, rest = line[:col].rstrip(), line[col:].lstrip()
        indent = re.match(r"[ \t]*", line).group(0)
        if inside and inside[0].type == tokenize.COMMENT and not head.endswith("#"):
            return f"{head}\n{indent}# {rest}", False
        if inside and _is_docstring(inside[0], tokens):
            return f"{head}\n{indent}{rest}", True
        if not inside and head.endswith(","):
            stack = []
            for t in tokens:
                if t.start >= (number, col):
                    break
                if t.type == tokenize.OP and t.string in "([{":
                    stack.append(t)
                elif t.type == tokenize.OP and t.string in ")]}":
                    stack.pop()
            if stack:
                bracket = stack[-1]
                column = bracket.start[1] + 1 if bracket.start[0] == number else len(indent)
                return f"{head}\n{' ' * column}{rest}", False
    return None


def _joined(broken: str, joinable: bool, following: list[str]) -> list[str]:
    """The broken line's two parts, the second joined with the next line of the same
    paragraph of prose (the next pass breaks it again if long): a paragraph reflows."""
    head, rest = broken.split("\n")
    if not (joinable and following):
        return [head, rest, *following]
    after = following[0]
    indent = re.match(r"[ \t]*", rest).group(0)
    prose = after.strip() and re.match(r"[ \t]*", after).group(0) == indent and not re.match(
        r"\s*([-*>:|]|\d+\.|\.\.)", after) and '"""' not in after and "'''" not in after
    return [head, f"{rest} {after.strip()}"] if prose else [head, rest, after]


def wrap_long_lines(changed: list[Path]) -> list[str]:
    """Break the lines the longer names pushed past ruff's limit (never a ``noqa`` one);
    what cannot be broken is returned (file:line) for a person."""
    left = []
    for path in (p for p in changed if p.suffix == ".py"):
        while True:
            text = path.read_text(encoding="utf-8")
            lines = text.split("\n")
            long = [i for i, line in enumerate(lines, 1)
                    if len(line) > LIMIT and "noqa" not in line]
            tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
            for number in long:
                fixed = _split_at(lines[number - 1], tokens, number)
                if fixed is not None:
                    lines[number - 1:number + 1] = _joined(*fixed, lines[number:number + 1])
                    path.write_text("\n".join(lines), encoding="utf-8")
                    break
            else:
                left += [f"{path.relative_to(ROOT)}:{number}" for number in long]
                break
    return left


def _without_room_imports(line: str, moves: dict[str, str]) -> str:
    """``line`` less its ``from core.ROOM import a, b`` when a, b are modules of ROOM
    (``from core.language import calls`` names the room, not the old module)."""
    def blank(match: re.Match) -> str:
        names = [n.split()[0] for n in match.group(2).strip("()").split(",") if n.strip()]
        members = {new.rsplit(".", 1)[1] for new in moves.values()
                   if new.rsplit(".", 1)[0] == match.group(1)}
        return "" if names and set(names) <= members else match.group(0)

    return re.sub(r"from (core\.\w+) import (\([^)]*\)|[\w ,]+)", blank, line)


def leftovers(moves: dict[str, str]) -> list[str]:
    """Every line that still names an old path."""
    dotted, paths = dotted_pattern(moves), path_pattern(moves)
    found = []
    for path in text_files():
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(lines, 1):
            old_from = any(moves.get(f"{m.group(1)}.{n.strip('() ').split(' ')[0]}")
                           for m in FROM_IMPORT.finditer(line)
                           for n in m.group(2).split(","))
            if dotted.search(_without_room_imports(line, moves)) or paths.search(line) \
                    or old_from:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print the plan only")
    parser.add_argument("--map", action="append", default=[], metavar="NAME=ROOM",
                        help="the room of a top-level module the table does not know")
    args = parser.parse_args(argv)
    if not (CORE / "__init__.py").is_file():
        sys.exit("run from the repository root (core/__init__.py not found)")
    extra = dict(item.split("=", 1) for item in args.map)
    bad = sorted(set(extra.values()) - set(ROOM_ORDER))
    if bad:
        sys.exit(f"no such room: {', '.join(bad)} (rooms: {', '.join(ROOM_ORDER)})")
    moves, unknown = plan(extra)
    if unknown:
        print("core/ holds modules the mapping does not know; nothing was changed:",
              file=sys.stderr)
        for name in unknown:
            print(f"  core/{name}.py", file=sys.stderr)
        print("add them to ROOMS in tools/move_core_rooms_data.py or pass --map NAME=ROOM",
              file=sys.stderr)
        return 1
    for old, new in moves.items():
        print(f"{old:28} → {new}")
    if args.dry_run:
        return 0
    move_files(moves)
    changed = rewrite_all(moves)
    write_rooms()
    add_contract(moves)
    sort_imports(changed)
    long = wrap_long_lines(changed)
    if long:
        print(f"lines over {LIMIT} characters to break by hand:", *long, sep="\n  ")
    left = leftovers(moves)
    if left:
        print("old paths are still named:", *left, sep="\n  ", file=sys.stderr)
        return 1
    print(f"{len(moves)} modules in their rooms; rewrote {len(changed)} files; "
          "no old path remains")
    for room in ROOM_ORDER:
        files = list((CORE / room).rglob("*.py"))
        lines = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)
        print(f"  core/{room + '/':10} {len(files):3} files {lines:6} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
