"""Writing the store out as RDF files: deterministic and atomic.

Quads are sorted (graph, subject, predicate, object as N-Triples text), so a rebuild of
the same input gives byte-identical files. Exports stream from the store: one article
graph in memory at a time, and the Turtle union deduplicated by an external sort. Each
file is written next to its target and renamed over it, so a reader (or a crash) never
sees half a file. A build does not come here for kg.ttl / kg.trig: it reassembles them
from cached blocks (kg.store.exportcache), byte for byte what this module writes.
"""
from __future__ import annotations

import itertools
import json
import os
import stat
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

import pyoxigraph as ox

from kg.errors import ExportError, UsageError, translate
from kg.store.embedded import Store, snapshot  # noqa: F401 - snapshot: the export's view of the store
from kg.rdf.vocab import PREFIXES

FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, ".ttl", False),
    "trig": (ox.RdfFormat.TRIG, ".trig", True),
    "nquads": (ox.RdfFormat.N_QUADS, ".nq", True),
    "ntriples": (ox.RdfFormat.N_TRIPLES, ".nt", False),
    "jsonld": (ox.RdfFormat.JSON_LD, ".jsonld", True),
}


def sort_key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def graph_quads(store: Store) -> Iterator[ox.Quad]:
    """Every named graph's quads, graph after graph in the order of their N-Triples
    text (the order of ``sort_key``), each graph sorted: one article's graph in memory at a
    time."""
    for g in sorted(store.graphs(), key=lambda iri: str(ox.NamedNode(iri))):
        yield from sorted(store.quads(g), key=sort_key)


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
        raise translate(exc, f"cannot sort the union for the Turtle export: {exc}", ExportError) from exc
    raw.unlink()
    yield from ox.parse(path=str(ordered), format=ox.RdfFormat.N_TRIPLES)


# JSON-LD: oxigraph writes expanded JSON-LD (full IRIs, no @context) and ignores prefixes
# for it, so kg writes the compact form itself: an @context of the PREFIXES (each ends in
# "/" or "#", so JSON-LD 1.1 lets it act as a prefix), compact IRIs for vocabulary terms,
# rdf:type as "@type", plain strings as JSON strings. Literals stay strings with their
# datatype ("01"^^xsd:integer is not the JSON number 1), so the file parses back to the
# same dataset. Instance IRIs stay whole (the base IRI is a build option, not a prefix).
JSONLD_CONTEXT = dict(sorted(PREFIXES.items()))
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_NAMESPACES = sorted(PREFIXES.items(), key=lambda kv: (-len(kv[1]), kv[0]))  # longest namespace first


def compact_iri(iri: str) -> str:
    """``iri`` as prefix:local when a PREFIXES namespace holds it, else whole. JSON-LD 1.1
    reads "prefix:suffix" as an IRI unless the suffix begins with "//" (IRI expansion,
    step 6), and an absolute IRI whose scheme is one of the prefixes would be misread."""
    for prefix, ns in _NAMESPACES:
        if iri.startswith(ns) and not iri[len(ns):].startswith("//"):
            return f"{prefix}:{iri[len(ns):]}"
    if iri.split(":", 1)[0] in PREFIXES:
        raise ExportError(f"cannot write {iri} in JSON-LD: its scheme is one of kg's prefixes")
    return iri


def _jsonld_id(term) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value)
    raise ExportError(f"cannot write {term} in JSON-LD 1.1 (RDF 1.2 triple terms have no JSON-LD form)")


def _jsonld_value(term) -> object:
    if not isinstance(term, ox.Literal):
        return {"@id": _jsonld_id(term)}
    if term.language:
        value = {"@value": term.value, "@language": term.language}
        if term.direction:
            value["@direction"] = term.direction
        return value
    if term.datatype.value == XSD_STRING:
        return term.value
    return {"@value": term.value, "@type": compact_iri(term.datatype.value)}


def _jsonld_nodes(quads: list[ox.Quad]) -> Iterator[dict]:
    """Node objects of one graph's sorted quads: one per subject, properties in order."""
    node: dict | None = None
    for q in quads:
        sid = _jsonld_id(q.subject)
        if node is None or node["@id"] != sid:
            if node is not None:
                yield node
            node = {"@id": sid}
        if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact_iri(q.object.value))
        else:
            node.setdefault(compact_iri(q.predicate.value), []).append(_jsonld_value(q.object))
    if node is not None:
        yield node


def _unwrap(node: dict) -> dict:
    """One value as itself, not a one-element list (JSON-LD compaction's compactArrays)."""
    return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in node.items()}


def write_jsonld(quads: Iterable[ox.Quad], f: BinaryIO) -> None:
    """Compact JSON-LD 1.1 of sorted quads (``graph_quads``): the @context, then each named
    graph as {"@id": graph, "@graph": [nodes]}, one node a line, streamed graph by graph."""
    def dump(obj) -> bytes:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    f.write(b'{"@context":' + dump(JSONLD_CONTEXT) + b',\n"@graph":[')
    for i, (graph, group) in enumerate(itertools.groupby(quads, key=lambda q: q.graph_name)):
        if isinstance(graph, ox.DefaultGraph):
            raise ExportError("the JSON-LD export writes named graphs only")
        head = b'{"@id":' + dump(_jsonld_id(graph)) + b',"@graph":[\n'
        f.write((b",\n" if i else b"\n") + head)
        f.write(b",\n".join(dump(_unwrap(node)) for node in _jsonld_nodes(list(group))))
        f.write(b"\n]}")
    f.write(b"\n]}\n")


def check_target(path: Path) -> None:
    """Refuse to write over anything but a regular file: renaming over a folder fails late
    (after the whole export) and over a symlink or a pipe silently puts a file in its place."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(mode):
        kind = ("a folder" if stat.S_ISDIR(mode) else "a symlink" if stat.S_ISLNK(mode)
                else "a pipe" if stat.S_ISFIFO(mode) else "not a regular file")
        raise ExportError(f"{path}: is {kind}; kg writes exports only to a new or regular file")


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file to write that replaces ``path`` only once complete (and synced)."""
    check_target(path)
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
    them, and no live ``kg export`` of it: it holds the lock shared, see ``snapshot``).
    Without this, every SIGKILL during an export left a file as big as the export behind,
    forever."""
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
        raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rdf_format, _, keeps_graphs = FORMATS[fmt]
    prefixes = PREFIXES if fmt in ("turtle", "trig") else None
    check_target(path)  # before the work, not after it
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".kg-export-", dir=path.parent) as tmp:
            data = graph_quads(store) if keeps_graphs else union_triples(store, Path(tmp))
            with atomic_file(path) as f:
                if fmt == "jsonld":
                    write_jsonld(data, f)
                else:
                    ox.serialize(data, f, rdf_format, prefixes=prefixes)
    except OSError as exc:  # a parent that is a file, no permission, a full disk
        raise translate(exc, f"{path}: cannot write: {exc.strerror or exc}", ExportError) from exc
    return path
