"""Incremental exports: kg.trig and kg.ttl reassembled from cached blocks.

Oxigraph writes TriG one graph block after another and Turtle one subject block after
another (each block ends its statement; prefix lines come first), so the sorted file is
the prefix lines followed by the blocks in key order, byte for byte what serialising all
sorted quads at once gives (``kg.store.export``; tests compare the two). The blocks live in a
SQLite file in the store folder:

- each article graph's TriG block, made where the article is mapped (in a worker);
- each subject's Turtle block. A subject minted for one article (its text, mentions,
  events, quotes, values) has its block made with the graph; a subject graphs share (an
  entity, a time, the build) gets its block from the union in the store, recomputed only
  when a graph having it changed ("dirty").

Each cached graph carries the stamp of the article in the store (content hash + build).
Before writing, the cache is checked against the store and any graph that differs
(a crash between store and cache, a store written by another kg) is redone from the
store, so the exports always equal a clean export of the store.
"""
from __future__ import annotations

import logging
import os
import re
import sqlite3
from itertools import groupby
from operator import attrgetter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from kg.errors import StoreError
from kg.store.export import FORMATS, atomic_file, export, remove_stale_temporaries, sort_key
from kg.rdf.datatypes import DERIVED_DATATYPES, restore
from kg.rdf.iris import owned_by
from kg.store.embedded import Store
from kg.rdf.vocab import PREFIXES

log = logging.getLogger("kg")

CACHE_NAME = "exports.sqlite"
# Bump when the layout or the meaning of a block changes: the cache is then rebuilt.
CACHE_VERSION = "2"  # 2: graphs.quads
_XSD = "http://www.w3.org/2001/XMLSchema#"
_AS_WRITTEN = {_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
# Lexical forms Oxigraph keeps as they are; derived types only where kg.store restores them.
_CANONICAL = {
    _XSD + "integer": re.compile(r"0|-?[1-9][0-9]{0,17}"),
    _XSD + "nonNegativeInteger": re.compile(r"0|[1-9][0-9]{0,17}"),
    _XSD + "boolean": re.compile(r"true|false"),
}
_DERIVED_VALUES = {_XSD + "nonNegativeInteger"}
_DUMMY = ox.NamedNode("urn:kg:x")
_GRAPH_BLOCK_START = re.compile(rb"\n(?=\t[^\t])")  # in a TriG graph, a line one tab in starts a subject block
_SUBJECT = attrgetter("subject")


def header(fmt: ox.RdfFormat) -> bytes:
    """The prefix lines Oxigraph writes before the first statement."""
    one = (ox.Quad(_DUMMY, _DUMMY, _DUMMY, _DUMMY) if fmt == ox.RdfFormat.TRIG
           else ox.Triple(_DUMMY, _DUMMY, _DUMMY))
    data = ox.serialize([one], format=fmt, prefixes=PREFIXES)
    return data[:data.index(b"<urn:kg:x>")]


TRIG_HEADER = header(ox.RdfFormat.TRIG)
TURTLE_HEADER = header(ox.RdfFormat.TURTLE)


def _as_stored(q: ox.Quad) -> bool:
    """Whether the store gives this quad back as it is: IRIs, strings, and the integers
    and booleans kg writes (already in canonical form)."""
    o = q.object
    if not isinstance(o, ox.Literal):
        return isinstance(o, ox.NamedNode)
    dtype = o.datatype.value
    if dtype in _AS_WRITTEN:
        return True
    if dtype in _CANONICAL:
        return _CANONICAL[dtype].fullmatch(o.value) is not None and (
            dtype not in _DERIVED_VALUES or DERIVED_DATATYPES.get(q.predicate.value) == dtype)
    return False


def canonical(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """One graph's quads as the store will give them back (literals in canonical form:
    "5.0"^^xsd:decimal is "5"), sorted for export. Quads whose terms may change go
    through an in-memory Oxigraph store, which encodes terms as the on-disk one does.
    Sorting a graph's quads by their N-Quads text is the order of ``export.sort_key``."""
    same, other = [], []
    keep, redo = same.append, other.append
    literal, iri = ox.Literal, ox.NamedNode
    for q in quads:
        o = q.object
        kind = type(o)
        if kind is iri or (kind is literal and o.datatype.value in _AS_WRITTEN):
            keep(q)  # the common cases, without a call
        elif _as_stored(q):
            keep(q)
        else:
            redo(q)
    if other:
        mem = ox.Store()
        mem.extend(other)
        same.extend(restore(q) for q in mem)
        same = list(dict.fromkeys(same))  # "05" and "5" are one integer in the store
    same.sort(key=str)
    return same


@dataclass
class GraphBlocks:
    """One article graph, ready for the store and the exports."""

    graph: str  # IRI of the named graph
    stamp: str  # content hash and build of the article ("" if not an article graph)
    trig: bytes  # the graph's TriG block, without prefix lines
    local: list[tuple[str, bytes]] = field(default_factory=list)  # (subject key, Turtle block)
    shared: list[str] = field(default_factory=list)  # keys of subjects other graphs may have
    quads: int = 0


def graph_blocks(graph: str, stamp: str, quads: list[ox.Quad], owned: Callable[[str], bool]) -> GraphBlocks:
    """Blocks of a graph from its quads, canonical and sorted (``canonical``).

    The Turtle blocks of the graph's own subjects are cut from its TriG text: inside a
    graph Oxigraph writes each subject block as Turtle does, one tab further in (literals
    are escaped, so every line break is the serialiser's); serialising twice cost more."""
    trig = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)[len(TRIG_HEADER):]
    subjects = [s for s, _ in groupby(map(_SUBJECT, quads))]
    body = trig[trig.index(b"{\n") + 2: -2]  # between "<graph> {\n" and "}\n"
    cuts = [0] + [m.end() for m in _GRAPH_BLOCK_START.finditer(body, 0, len(body) - 1)] + [len(body)]
    if len(cuts) - 1 != len(subjects):  # pragma: no cover - Oxigraph changed its layout
        raise StoreError(f"{graph}: cannot split the TriG of the graph into subject blocks")
    local, shared = [], []
    for s, a, b in zip(subjects, cuts, cuts[1:]):
        key = str(s)
        if isinstance(s, ox.NamedNode) and owned(s.value):
            local.append((key, body[a + 1:b].replace(b"\n\t", b"\n")))
        else:
            shared.append(key)
    return GraphBlocks(graph, stamp, trig, local, shared, len(quads))


def _truncated(path: Path) -> bool:
    """Whether an SQLite file is shorter than its header says (cut short by a copy or a full
    disk): SQLite itself notices only when it reads a missing page, in the middle of a build.
    Header layout: https://www.sqlite.org/fileformat.html#the_database_header (page size at
    offset 16, page count at 28, valid while the counters at 24 and 92 agree)."""
    try:
        with open(path, "rb") as f:
            head, size = f.read(100), os.fstat(f.fileno()).st_size
    except FileNotFoundError:
        return False
    if len(head) < 100 or not head.startswith(b"SQLite format 3\0"):
        return False  # empty (a new cache) or not SQLite: connecting says so
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(head[28:32], "big")
    return head[24:28] == head[92:96] and size < pages * page


def _node(key: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(key[2:]) if key.startswith("_:") else ox.NamedNode(key[1:-1])


class ExportCache:
    """The blocks of a store (``CACHE_NAME`` in its folder). One writer: the build that
    holds the store's lock."""

    def __init__(self, store: Store):
        self.store = store
        path = store.path / CACHE_NAME
        try:
            self.db = self._open(path)
        except sqlite3.DatabaseError as exc:
            # Only a cache: the build that holds the store's lock drops it, and ``sync``
            # redoes every graph from the store (the exports stay a clean export's).
            log.warning("%s is damaged (%s): rebuilding it from the store", path, exc)
            for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                name.unlink(missing_ok=True)
            self.db = self._open(path)
        self._pending = 0

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        if _truncated(path):
            raise sqlite3.DatabaseError("the file is shorter than its header says")
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            db.executescript("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                             "CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);")
            # Blocks depend on the prefixes and this module: another of either, another cache.
            tag = f"{CACHE_VERSION}|{TRIG_HEADER.decode()}"
            row = db.execute("SELECT v FROM meta WHERE k = 'version'").fetchone()
            if row is None or row[0] != tag:
                db.executescript("BEGIN; DROP TABLE IF EXISTS graphs; DROP TABLE IF EXISTS blocks; "
                                 "DROP TABLE IF EXISTS shared; DROP TABLE IF EXISTS dirty; COMMIT;")
            db.executescript("""
                CREATE TABLE IF NOT EXISTS graphs (key TEXT PRIMARY KEY, stamp TEXT, trig BLOB, quads INTEGER);
                CREATE TABLE IF NOT EXISTS blocks (key TEXT PRIMARY KEY, graph TEXT, ttl BLOB);
                CREATE INDEX IF NOT EXISTS blocks_graph ON blocks (graph);
                CREATE TABLE IF NOT EXISTS shared (graph TEXT, key TEXT, PRIMARY KEY (graph, key)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS dirty (key TEXT PRIMARY KEY) WITHOUT ROWID;
            """)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (tag,))
            db.execute("BEGIN")
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        if self.db is not None:
            self.db.execute("COMMIT")
            self.db.close()
            self.db = None

    def __enter__(self) -> "ExportCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _commit_now_and_then(self) -> None:
        self._pending += 1
        if self._pending >= 64:
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")
            self._pending = 0

    # Keeping the cache in step with the store (call these before writing the store).
    def forget(self, graph: str) -> None:
        """The graph is about to be replaced or dropped: its blocks go, and the shared
        subjects it had must be recomputed."""
        key = str(ox.NamedNode(graph))
        db = self.db
        db.execute("INSERT OR IGNORE INTO dirty SELECT key FROM shared WHERE graph = ?", (key,))
        db.execute("DELETE FROM shared WHERE graph = ?", (key,))
        db.execute("DELETE FROM blocks WHERE graph = ?", (key,))
        db.execute("DELETE FROM graphs WHERE key = ?", (key,))

    def put(self, blocks: GraphBlocks) -> None:
        """The graph as now written to the store."""
        key = str(ox.NamedNode(blocks.graph))
        db = self.db
        db.execute("INSERT OR REPLACE INTO graphs VALUES (?, ?, ?, ?)", (key, blocks.stamp, blocks.trig, blocks.quads))
        db.executemany("INSERT OR REPLACE INTO blocks VALUES (?, ?, ?)", ((k, key, b) for k, b in blocks.local))
        db.executemany("INSERT OR IGNORE INTO shared VALUES (?, ?)", ((key, k) for k in blocks.shared))
        db.executemany("INSERT OR IGNORE INTO dirty VALUES (?)", ((k,) for k in blocks.shared))
        self._commit_now_and_then()

    # Exports.
    def sync(self) -> int:
        """Redo from the store every graph whose cached stamp is not the store's; the
        number redone."""
        articles = self.store.built_articles_with_activity()
        stamps = {g: (aid, f"{h} {act}") for aid, (g, h, act) in articles.items()}
        del articles
        in_store = self.store.graphs()
        cached = dict(self.db.execute("SELECT key, stamp FROM graphs"))
        redone = 0
        for key in set(cached) - {str(ox.NamedNode(g)) for g in in_store}:
            self.forget(key[1:-1])
        for g in in_store:
            aid, stamp = stamps.get(g, (None, ""))
            if stamp and cached.get(str(ox.NamedNode(g))) == stamp:
                continue
            self.forget(g)
            quads = sorted(self.store.quads(g), key=sort_key)
            owned = owned_by(g, aid) if aid is not None else (lambda iri: False)
            self.put(graph_blocks(g, stamp, quads, owned))
            redone += 1
        return redone

    def quad_count(self) -> int:
        """Quads in the store's graphs, from the cache (call after ``write``, which brings
        it in step with the store): Oxigraph counts by scanning every quad."""
        return self.db.execute("SELECT COALESCE(SUM(quads), 0) FROM graphs").fetchone()[0]

    def _refresh_shared(self) -> None:
        """Union blocks of the dirty subjects, from every graph of the store."""
        st, db = self.store.oxigraph, self.db
        last = ""
        while chunk := db.execute("SELECT key FROM dirty WHERE key > ? ORDER BY key LIMIT 1000", (last,)).fetchall():
            last = chunk[-1][0]
            for (key,) in chunk:
                if db.execute("SELECT 1 FROM blocks WHERE key = ? AND graph IS NOT NULL", (key,)).fetchone():
                    continue  # minted for one article: its block came with the graph
                triples = {restore(q).triple for q in st.quads_for_pattern(_node(key), None, None, None)
                           if not isinstance(q.graph_name, ox.DefaultGraph)}
                if not triples:
                    db.execute("DELETE FROM blocks WHERE key = ?", (key,))
                    continue
                ordered = sorted(triples, key=lambda t: (str(t.predicate), str(t.object)))
                ttl = ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)[len(TURTLE_HEADER):]
                db.execute("INSERT OR REPLACE INTO blocks VALUES (?, NULL, ?)", (key, ttl))
        db.execute("DELETE FROM dirty")

    def write(self, out_dir: Path, formats: Iterable[str] = ("turtle", "trig")) -> list[Path]:
        """The build's exports (kg.ttl, kg.trig, ...) in ``out_dir``; Turtle and TriG from
        the blocks, any other format straight from the store."""
        self.sync()
        if self.store.locked_at is not None:  # see export.remove_stale_temporaries
            remove_stale_temporaries(out_dir, [f"kg{FORMATS[f][1]}" for f in formats if f in FORMATS],
                                     self.store.locked_at)
        paths = []
        for fmt in formats:
            path = out_dir / f"kg{FORMATS[fmt][1]}" if fmt in FORMATS else None
            if fmt == "trig":
                self._assemble(path, TRIG_HEADER, "SELECT trig FROM graphs ORDER BY key")
            elif fmt == "turtle":
                self._refresh_shared()
                self._assemble(path, TURTLE_HEADER, "SELECT ttl FROM blocks ORDER BY key")
            else:
                export(self.store, fmt, path)  # raises UsageError on an unknown format
            paths.append(path)
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")
        return paths

    def _assemble(self, path: Path, head: bytes, query: str) -> None:
        with atomic_file(path) as f:
            first = True
            for (block,) in self.db.execute(query):
                if first:
                    f.write(head)
                    first = False
                f.write(block)
