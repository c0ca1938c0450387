"""Writing the store out as RDF files: deterministic and atomic.

Quads are sorted (subject, predicate, object, graph as N-Triples text), so a rebuild of
the same input gives byte-identical files. Each file is written next to its target and
renamed over it, so a reader (or a crash) never sees half a file.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from .errors import KgError
from .store import Store
from .vocab import PREFIXES

FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, ".ttl", False),
    "trig": (ox.RdfFormat.TRIG, ".trig", True),
    "nquads": (ox.RdfFormat.N_QUADS, ".nq", True),
    "ntriples": (ox.RdfFormat.N_TRIPLES, ".nt", False),
    "jsonld": (ox.RdfFormat.JSON_LD, ".jsonld", True),
}


def _key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def sorted_quads(store: Store) -> list[ox.Quad]:
    return sorted((q for q in store.quads() if not isinstance(q.graph_name, ox.DefaultGraph)), key=_key)


def union_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; exports are for everyone
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def serialize(store: Store, fmt: str, quads: list[ox.Quad] | None = None) -> bytes:
    if fmt not in FORMATS:
        raise KgError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rdf_format, _, keeps_graphs = FORMATS[fmt]
    quads = sorted_quads(store) if quads is None else quads
    data = quads if keeps_graphs else union_triples(quads)
    prefixes = PREFIXES if fmt in ("turtle", "trig") else None
    if fmt == "jsonld":
        prefixes = None
    return ox.serialize(data, format=rdf_format, prefixes=prefixes) or b""


def export(store: Store, fmt: str, path: Path) -> Path:
    atomic_write(path, serialize(store, fmt))
    return path


def write_exports(store: Store, out_dir: Path, formats: Iterable[str] = ("turtle", "trig")) -> list[Path]:
    """The build's exports: kg.ttl (union) and kg.trig (named graphs) by default."""
    quads = sorted_quads(store)
    paths = []
    for fmt in formats:
        path = out_dir / f"kg{FORMATS[fmt][1]}"
        atomic_write(path, serialize(store, fmt, quads))
        paths.append(path)
    return paths
