"""Writing the store out as RDF files: deterministic and atomic.

Quads are sorted (graph, subject, predicate, object as N-Triples text), so a rebuild of
the same input gives byte-identical files. Exports stream from the store: one article
graph in memory at a time, and the Turtle union deduplicated by an external sort. Each
file is written next to its target and renamed over it, so a reader (or a crash) never
sees half a file. A build does not come here for kg.ttl / kg.trig: it reassembles them
from cached blocks (kg.exportcache), byte for byte what this module writes.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

import pyoxigraph as ox

from kg.errors import KgError
from kg.store.embedded import Store
from kg.rdf.vocab import PREFIXES

FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, ".ttl", False),
    "trig": (ox.RdfFormat.TRIG, ".trig", True),
    "nquads": (ox.RdfFormat.N_QUADS, ".nq", True),
    "ntriples": (ox.RdfFormat.N_TRIPLES, ".nt", False),
    "jsonld": (ox.RdfFormat.JSON_LD, ".jsonld", True),
}


def _key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def graph_quads(store: Store) -> Iterator[ox.Quad]:
    """Every named graph's quads, graph after graph in the order of their N-Triples
    text (the order of ``_key``), each graph sorted: one article's graph in memory at a
    time."""
    for g in sorted(store.graphs(), key=lambda iri: str(ox.NamedNode(iri))):
        yield from sorted(store.quads(g), key=_key)


def union_triples(store: Store, workdir: Path) -> Iterator[ox.Triple]:
    """The union of all graphs, without duplicates, sorted like the N-Triples lines:
    written out, put through an external ``sort -u`` (bounded memory on any corpus)
    and read back. Byte order of N-Triples lines is the order of (subject, predicate,
    object) text: a term is never a prefix of another followed by a character below
    the separating space."""
    raw, ordered = workdir / "union.nt", workdir / "union.sorted.nt"
    triples = (q.triple for q in store.quads() if not isinstance(q.graph_name, ox.DefaultGraph))
    with open(raw, "wb") as f:
        ox.serialize(triples, f, ox.RdfFormat.N_TRIPLES)
    env = {**os.environ, "LC_ALL": "C"}
    try:
        subprocess.run(["sort", "-u", "-S", "256M", "-T", str(workdir), "-o", str(ordered), str(raw)],
                       check=True, env=env, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise KgError(f"cannot sort the union for the Turtle export: {exc}") from exc
    raw.unlink()
    yield from ox.parse(path=str(ordered), format=ox.RdfFormat.N_TRIPLES)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file to write that replaces ``path`` only once complete (and synced)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; exports are for everyone
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def remove_stale_temporaries(directory: Path, names: Iterable[str], before: float) -> int:
    """Remove what writers killed mid-write left in ``directory``: ``atomic_file`` temporaries
    of ``names`` (".kg.ttl.XXXX.tmp") and ``export`` work folders, last written before
    ``before`` (when the caller took the store lock, so no live build of this store owns
    them; a live ``kg export`` keeps its file's mtime fresh). Without this, every SIGKILL
    during an export left a file as big as the export behind, forever."""
    import shutil

    removed = 0
    if not directory.is_dir():
        return 0
    prefixes = tuple(f".{n}." for n in names)
    for entry in os.scandir(directory):
        stale = (entry.name.startswith(prefixes) and entry.name.endswith(".tmp")) or entry.name.startswith(".kg-export-")
        try:
            if not stale or entry.stat(follow_symlinks=False).st_mtime >= before:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
            removed += 1
        except FileNotFoundError:
            continue
    return removed


def export(store: Store, fmt: str, path: Path) -> Path:
    """Write the store in ``fmt`` to ``path``, atomically, streaming from the store."""
    if fmt not in FORMATS:
        raise KgError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rdf_format, _, keeps_graphs = FORMATS[fmt]
    prefixes = PREFIXES if fmt in ("turtle", "trig") else None
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".kg-export-", dir=path.parent) as tmp:
        data = graph_quads(store) if keeps_graphs else union_triples(store, Path(tmp))
        with atomic_file(path) as f:
            ox.serialize(data, f, rdf_format, prefixes=prefixes)
    return path


def write_exports(store: Store, out_dir: Path, formats: Iterable[str] = ("turtle", "trig")) -> list[Path]:
    """The build's exports: kg.ttl (union) and kg.trig (named graphs) by default."""
    return [export(store, fmt, out_dir / f"kg{FORMATS[fmt][1]}") for fmt in formats]
