"""No import circles inside the package, counting the imports made inside functions too.

import-linter checks the layers; it does not see a circle between two modules of one layer,
and a deferred (function-level) import hides a circle from Python until the day someone
moves it to the top of the file.  This test reads every module with :mod:`ast`, builds the
graph of ``workbench`` imports (module level and function level alike) and fails on any
strongly connected group of more than one module.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "workbench"

KNOWN: dict[frozenset[str], str] = {}
"""Circles known and owned elsewhere, each with the issue that removes it (none now: the last
two, the plan form's and the decision's, went in issue #15).  Nothing else is excluded."""


def module_names(root: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package: dotted name -> file (a package is its ``__init__.py``)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    """The module a dotted name lives in (``a.b.func`` -> ``a.b``), or None if not ours."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that *name* imports anywhere in its file (functions included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(o for a in node.names if (o := _owner(a.name, modules)))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                full = f"{source}.{alias.name}"
                owner = full if full in modules else _owner(source, modules)
                if owner:
                    found.add(owner)
    found.discard(name)
    return found


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(frozenset(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def package_graph() -> dict[str, set[str]]:
    """The package's import graph, module and function level."""
    modules = module_names()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def test_the_finder_sees_circles_through_function_level_imports(tmp_path: Path) -> None:
    # a three-module package written here: a imports b at the top, b imports c inside a
    # function, c imports a inside a function; d imports a and is in no circle
    pkg = tmp_path / "workbench"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from workbench.b import f\n")
    (pkg / "b.py").write_text("def f():\n    from workbench import c\n    return c\n")
    (pkg / "c.py").write_text("def g():\n    from .a import f\n    return f\n")
    (pkg / "d.py").write_text("import workbench.a\n")
    modules = module_names(pkg)
    graph = {n: imports_of(n, p, modules) for n, p in modules.items()}
    assert graph["workbench.b"] == {"workbench.c"}
    assert graph["workbench.c"] == {"workbench.a"}
    assert circles(graph) == [frozenset({"workbench.a", "workbench.b", "workbench.c"})]


def test_the_package_has_no_import_circles() -> None:
    graph = package_graph()
    assert len(graph) > 100, "the walk found the package's modules"
    found = circles(graph)
    unknown = [sorted(c) for c in found if c not in KNOWN]
    assert not unknown, f"import circles: {unknown}"


def test_each_known_circle_is_still_there() -> None:
    # when one is removed, its entry must go too, so the list never hides a new circle
    found = circles(package_graph())
    gone = [sorted(k) for k in KNOWN if k not in found]
    assert not gone, f"{gone} no longer there: drop them from KNOWN"
