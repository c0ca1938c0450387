"""The package reads like the data flow: no import cycles between kg's modules, and no
module reaches into another's private names."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "kg"

# Stages in data-flow order: a module may import from its own stage or an earlier one,
# never from a later one (kg.errors, kg.terminal and kg.records are shared by all).
STAGES = ["kg.errors", "kg.terminal", "kg.sameorigin", "kg.records", "kg.reading", "kg.nlp", "kg.rdf", "kg.store", "kg.linking",
          "kg.build", "kg.web", "kg.remote", "kg.cli"]


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every kg import, lazy ones included."""
    is_pkg = path.name == "__init__.py"
    out = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "kg"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "kg":
                continue
            names = [a.name for a in node.names]
            subs = [n for n in names if f"{mod}.{n}" in MODULES]
            out += [(f"{mod}.{n}", [], node.lineno) for n in subs]
            rest = [n for n in names if n not in subs]
            if rest:
                out.append((mod, rest, node.lineno))
    return out


GRAPH = {name: sorted({m for m, _, _ in _imports(name, path) if m in MODULES and m != name})
         for name, path in MODULES.items()}


def _stage(module: str) -> int:
    return max((i for i, s in enumerate(STAGES) if module == s or module.startswith(s + ".")), default=-1)


def test_no_import_cycles():
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in GRAPH[node]:
            # A package's __init__ importing its own submodules is how it re-exports, not a cycle.
            if nxt.startswith(node + "."):
                continue
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for mod in sorted(GRAPH):
        if mod not in state:
            visit(mod, [mod])
    assert cycles == []


def test_stages_import_only_earlier_stages():
    wrong = [(mod, dep) for mod, deps in GRAPH.items() for dep in deps
             if _stage(mod) >= 0 and _stage(dep) > _stage(mod) and not dep.startswith(mod + ".")]
    assert wrong == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_private_names_from_other_modules(name):
    private = [(mod, n, line) for mod, names, line in _imports(name, MODULES[name])
               for n in names if n.startswith("_") and not n.endswith("__") and mod != name]
    assert private == []


def test_the_checks_see_the_package():
    """The walk finds the stages and their imports (an empty graph would pass vacuously)."""
    assert {"kg.build.run", "kg.rdf.mapping", "kg.store.embedded", "kg.nlp.pipeline"} <= set(MODULES)
    assert "kg.store.embedded" in GRAPH["kg.build.writer"]
    assert _stage("kg.rdf.mapping") < _stage("kg.store.exportcache") < _stage("kg.build.run")


@pytest.mark.parametrize("path", sorted(Path(__file__).resolve().parent.glob("*.py")), ids=lambda p: p.name)
def test_tests_use_no_private_names_of_kg(path):
    """Tests exercise kg through its public names, as a user's code would."""
    private = [(m, n, line) for m, names, line in _imports(f"tests.{path.stem}", path)
               for n in names if m.split(".")[0] == "kg" and n.startswith("_") and not n.endswith("__")]
    assert private == []
