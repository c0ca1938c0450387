"""kg.errors: the hierarchy its docstring draws, and third-party errors translated."""
from __future__ import annotations

import re
import sqlite3
import urllib.error

import pyoxigraph as ox
import pytest
import yaml

from kg import errors
from kg.errors import (EndpointAuthError, EndpointError, EndpointTimeoutError, InputError, KgError, StoreBusyError,
                       StoreError, translate)


def _drawn_tree() -> dict[str, list[str]]:
    """Class name -> names of its parents, as the module docstring draws them."""
    parents: dict[str, list[str]] = {}
    stack: list[tuple[int, str]] = []
    for line in errors.__doc__.splitlines():
        m = re.match(r"^([ |]*)[*+] (\w+) \[(\d+)\]", line)
        if not m:
            continue
        depth, name = len(m.group(1)), m.group(2)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents.setdefault(name, []).extend([stack[-1][1]] if stack else [])
        stack.append((depth, name))
        assert getattr(errors, name).exit_code == int(m.group(3)), name
    return parents


def test_the_docstring_draws_every_error_class_and_its_parents():
    drawn = _drawn_tree()
    classes = {n: c for n, c in vars(errors).items() if isinstance(c, type) and issubclass(c, KgError)}
    assert set(drawn) == set(classes)
    for name, parents in drawn.items():
        for parent in parents:
            assert issubclass(classes[name], classes[parent]), (name, parent)


def test_a_store_another_process_holds_is_busy_not_broken(tmp_path):
    held = ox.Store(str(tmp_path))  # RocksDB's LOCK, as another process's build would hold it
    with pytest.raises(OSError) as info:
        ox.Store(str(tmp_path))
    assert type(translate(info.value, "x", StoreError)) is StoreBusyError
    del held


def test_an_error_whose_path_says_lock_is_not_a_busy_store():
    """The old test ("lock" anywhere in the message) took a missing .../blocks/ for a busy store."""
    err = translate(FileNotFoundError(2, "No such file", "/data/blocks/CURRENT"), "cannot open", StoreError)
    assert type(err) is StoreError and str(err) == "cannot open"


@pytest.mark.parametrize("exc, cls", [
    (sqlite3.OperationalError("database is locked"), StoreBusyError),
    (sqlite3.DatabaseError("file is not a database"), StoreError),
    (urllib.error.HTTPError("http://x/", 401, "Unauthorized", {}, None), EndpointAuthError),
    (urllib.error.HTTPError("http://x/", 500, "Server Error", {}, None), EndpointError),
    (urllib.error.URLError(TimeoutError("timed out")), EndpointTimeoutError),
    (urllib.error.URLError(ConnectionRefusedError(111, "refused")), EndpointError),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), InputError),
])
def test_third_party_errors_map_to_kg_errors(exc, cls):
    err = translate(exc)
    assert type(err) is cls and str(err) == str(exc)


def test_yaml_errors_are_input_errors():
    with pytest.raises(yaml.YAMLError) as info:
        yaml.safe_load("a: [b")
    assert type(translate(info.value, "front matter is not valid YAML")) is InputError


def test_unnamed_errors_take_the_boundary_class_and_kg_errors_pass_through():
    assert type(translate(ValueError("bad"), default=StoreError)) is StoreError
    assert type(translate(OSError("disk full"))) is KgError
    busy = StoreBusyError("busy")
    assert translate(busy) is busy
