"""Every rule list of the NLP layer (kg.nlp.lexicons) is free of duplicates."""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

import pytest

import kg.nlp.lexicons

MODULES = sorted(m.name for m in pkgutil.iter_modules(kg.nlp.lexicons.__path__, "kg.nlp.lexicons."))


def _sequences(name, value):
    """(where, sequence) for the value and any list / tuple inside a dict's values."""
    if isinstance(value, (list, tuple)):
        yield name, value
    elif isinstance(value, dict):
        for key, v in value.items():
            yield from _sequences(f"{name}[{key!r}]", v)


def test_lexicon_modules_found():
    assert "kg.nlp.lexicons.events" in MODULES and "kg.nlp.lexicons.entities" in MODULES


@pytest.mark.parametrize("module", MODULES)
def test_lists_have_no_duplicates(module):
    mod = importlib.import_module(module)
    for name, value in vars(mod).items():
        if name.startswith("_") or not isinstance(value, (list, tuple, set, frozenset, dict)):
            continue
        for where, seq in _sequences(name, value):
            dupes = sorted({repr(x) for x in seq if seq.count(x) > 1})
            assert not dupes, f"{module}.{where} repeats {', '.join(dupes)}"


@pytest.mark.parametrize("module", MODULES)
def test_literals_have_no_duplicates(module):
    """Sets and dict keys drop a repeated entry silently at run time: read the source."""
    tree = ast.parse(inspect.getsource(importlib.import_module(module)))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
        else:
            continue
        consts = [ast.literal_eval(x) for x in items if isinstance(x, ast.Constant)]
        dupes = sorted({repr(c) for c in consts if consts.count(c) > 1})
        assert not dupes, f"{module} line {node.lineno} repeats {', '.join(dupes)}"
