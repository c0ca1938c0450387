"""Incremental exports: kg.trig and kg.ttl reassembled from cached blocks.

Oxigraph writes TriG one graph block after another and Turtle one subject block after
another (each block ends its statement; prefix lines come first), so the sorted file is
the prefix lines followed by the blocks in key order, byte for byte what serialising all
sorted quads at once gives (``kg.store.export``; tests compare the two). The blocks live in a
SQLite file in the store folder, zlib-compressed (a block compresses about tenfold; the
cache was half the size of the store before, about 1/20 now):

- each article graph's TriG block, made where the article is mapped (in a worker);
- each subject's Turtle block. A subject minted for one article (its text, mentions,
  events, quotes, values) has its block made with the graph, kept in "runs": the article's
  consecutive subjects of one kind (its events, its quotes, ...), one compressed row per
  run, a few per article instead of one row (and two index entries) per subject. A subject
  graphs share (an entity, a time, the build) gets its block from the union in the store,
  recomputed only when a graph having it changed ("dirty").

kg.ttl is the merge, in key order, of the runs (ordered by first key) and the shared
blocks (``_merge_pieces``); a run is opened only when its first key comes up, so the
merge holds one or two runs at a time.

Writing an export records where each piece (a TriG graph block, a Turtle run written
whole, a shared block) went in the file, by the digest of its cached value (``layouts``).
The next write of that file, if it is still the one written (size, time, inode), copies
the pieces it already holds from it, kernel-side (``os.copy_file_range``), and writes only
the new ones: with 1% of the articles changed, most of the 2 x 170 MB for 2,040 articles
is copied, not decompressed and written again. The copy goes to a new file renamed over
the old one (``atomic_file``), as a full write does.

Each cached graph carries the stamp of the article in the store (content hash + build).
Before writing, the cache is checked against the store and any graph that differs
(a crash between store and cache, a store written by another kg) is redone from the
store, so the exports always equal a clean export of the store.
"""
from __future__ import annotations

import errno
import hashlib
import heapq
import logging
import os
import re
import sqlite3
import struct
import zlib
from itertools import groupby
from operator import attrgetter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from kg.errors import StoreError
from kg.store.export import FORMATS, atomic_file, export, remove_stale_temporaries, sort_key
from kg.rdf.datatypes import DERIVED_DATATYPES, restore
from kg.rdf.iris import owned_by
from kg.rdf.mapping import TermTriple
from kg.store.embedded import Store
from kg.rdf.vocab import PREFIXES

log = logging.getLogger("kg")

CACHE_NAME = "exports.sqlite"
# Bump when the layout or the meaning of a block changes: the cache is then rebuilt.
CACHE_VERSION = "4"  # 2: graphs.quads; 3, 4: compressed blocks, local subjects in runs
# zlib level of the cached blocks: 3 gives 11x on kg's TriG at under 1 ms per article
# (level 6: 12.6x at 2.6 ms, measured on 250 news articles).
ZLIB_LEVEL = 3
_COUNT = struct.Struct("<I")
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
_PLACED = struct.Struct("<16sQQ")  # a piece in an export: digest of its cached value, offset, length


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


def canonical_triples(triples: Iterable[TermTriple]) -> list[TermTriple]:
    """``canonical`` for triples as N-Triples text (kg.rdf.mapping.article_triples):
    without duplicates, literals as the store gives them back, sorted. Sorting (s, p, o)
    text is sorting the graph's N-Quads lines (a term never holds a space outside quotes,
    and no shorter term is the start of another but "..." of "..."^^<...>), the order of
    ``export.sort_key``."""
    stored = _stored_object
    return sorted({t if (o := t[2])[0] == "<" or o[-1] == '"' else (t[0], t[1], stored(t[1], o))
                   for t in triples})  # IRIs and strings, the common cases, without a call


@lru_cache(maxsize=1 << 16)
def _stored_object(p: str, o: str) -> str:
    """A literal's term as the store gives it back, ``_as_stored`` or through an in-memory
    Oxigraph store (which encodes terms as the on-disk one does)."""
    quad = ox.Quad(_DUMMY, ox.NamedNode(p[1:-1]), _literal(o), _DUMMY)
    if _as_stored(quad):
        return o
    mem = ox.Store()
    mem.add(quad)
    return str(restore(next(iter(mem))).object)


def _literal(term: str) -> ox.Literal:
    return next(iter(ox.parse(f"<urn:kg:x> <urn:kg:x> {term} .".encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))).object


@dataclass
class GraphBlocks:
    """One article graph, ready for the store and the exports."""

    graph: str  # IRI of the named graph
    stamp: str  # content hash and build of the article ("" if not an article graph)
    trig: bytes  # the graph's TriG block, without prefix lines
    runs: list[tuple[str, str, bytes]] = field(default_factory=list)  # (first key, last key, packed run)
    shared: list[str] = field(default_factory=list)  # keys of subjects other graphs may have
    quads: int = 0
    packed: bytes = b""  # ``trig`` compressed, as cached (made where the graph is mapped)


def _family(key: str) -> str:
    """The part of a subject key before its last "/" or "#": an article's events, its
    quotes, its text positions each form one family, and a run never spans two (so runs of
    different articles do not interleave: event/a/..., event/b/..., quote/a/...)."""
    return key[:max(key.rfind("/"), key.rfind("#")) + 1]


def pack_run(entries: list[tuple[str, bytes]]) -> bytes:
    """Consecutive (key, Turtle block) entries as one compressed value: their number, the
    lengths of the keys, the keys, the lengths of the blocks, the blocks (so a run written
    whole is one slice, ``run_text``)."""
    keys = [k.encode("utf-8") for k, _ in entries]
    blocks = [b for _, b in entries]
    n = len(entries)
    head = struct.pack(f"<I{n}I", n, *map(len, keys)) + b"".join(keys) + struct.pack(f"<{n}I", *map(len, blocks))
    return zlib.compress(head + b"".join(blocks), ZLIB_LEVEL)


def _unpacked(data: bytes) -> tuple[bytes, int, tuple[int, ...], int]:
    """(raw run, number of entries, key lengths, offset of the keys)."""
    raw = zlib.decompress(data)
    (n,) = _COUNT.unpack_from(raw)
    return raw, n, struct.unpack_from(f"<{n}I", raw, 4), 4 + 4 * n


def run_text(data: bytes) -> bytes:
    """A packed run's Turtle blocks, one after another."""
    raw, n, key_lengths, at = _unpacked(data)
    return raw[at + sum(key_lengths) + 4 * n:]


def unpack_run(data: bytes) -> list[tuple[str, bytes]]:
    raw, n, key_lengths, at = _unpacked(data)
    keys = []
    for size in key_lengths:
        keys.append(raw[at:at + size].decode("utf-8"))
        at += size
    block_lengths = struct.unpack_from(f"<{n}I", raw, at)
    at += 4 * n
    out = []
    for key, size in zip(keys, block_lengths):
        out.append((key, raw[at:at + size]))
        at += size
    return out


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
    packed, shared = _runs((str(s), isinstance(s, ox.NamedNode) and owned(s.value), lambda a=a, b=b: body[a:b])
                           for s, a, b in zip(subjects, cuts, cuts[1:]))
    return GraphBlocks(graph, stamp, trig, packed, shared, len(quads), zlib.compress(trig, ZLIB_LEVEL))


def _runs(subjects: Iterable[tuple[str, bool, Callable[[], bytes]]]) -> tuple[list[tuple[str, str, bytes]], list[str]]:
    """A graph's subjects in key order, (key, owned by the article, its TriG block) ->
    the packed runs of its own subjects (consecutive ones of one family) and the keys of
    the shared ones. A Turtle block is its TriG block one tab less indented."""
    runs, run, shared = [], [], []
    for key, own, block in subjects:
        if own:
            if run and _family(run[-1][0]) != _family(key):
                runs.append(run)
                run = []
            run.append((key, block()[1:].replace(b"\n\t", b"\n")))
        else:
            shared.append(key)
            if run:  # a run holds consecutive subjects only
                runs.append(run)
                run = []
    if run:
        runs.append(run)
    return [(r[0][0], r[-1][0], pack_run(r)) for r in runs], shared


def triple_blocks(graph: str, stamp: str, triples: list[TermTriple], owned: Callable[[str], bool]) -> GraphBlocks:
    """``graph_blocks`` for triples as N-Triples text, canonical and sorted
    (``canonical_triples``): the TriG written here, as Oxigraph writes it (a low-level
    writer: one subject block after another, " ;" between predicates, " , " between
    objects; prefixed names and inline numbers and booleans as ``_turtle_term`` finds them),
    so the graph's quads are never Oxigraph objects (tests compare with ``graph_blocks``)."""
    term, obj, pred, prefixed = _turtle_term, _turtle_object, _turtle_predicate, _PREFIXED
    blocks: list[tuple[str, list[str]]] = []  # (subject, its block's pieces)
    last_s = last_p = None
    for s, p, o in triples:
        # objects are mostly strings and IRIs outside the prefixes: written as they are
        if o[-1] != '"' and (o[0] != "<" or o.startswith(prefixed)):
            o = obj(o)
        if s != last_s:
            part = [f"\t{term(s) if s.startswith(prefixed) else s} {pred(p)} {o}"]
            blocks.append((s, part))
            put = part.append
            last_s, last_p = s, p
        elif p != last_p:
            put(f" ;\n\t\t{pred(p)} {o}")
            last_p = p
        else:
            put(f" , {o}")
    trig = []
    for _, part in blocks:
        part.append(" .\n")
        trig.append("".join(part))
    packed, shared = _runs((s, owned(s[1:-1]), lambda t=t: t.encode("utf-8")) for (s, _), t in zip(blocks, trig))
    data = f"{term(str(ox.NamedNode(graph)))} {{\n{''.join(trig)}}}\n".encode("utf-8") if blocks else b""
    return GraphBlocks(graph, stamp, data, packed, shared, len(triples), zlib.compress(data, ZLIB_LEVEL))


_PREFIXED = tuple("<" + ns for ns in PREFIXES.values())  # terms Oxigraph may write as prefixed names
_PROBE = "<urn:kg:x>"
_INLINE = {  # literals Turtle writes bare, by datatype: the grammar's INTEGER, DECIMAL, DOUBLE, BOOLEAN
    f"<{_XSD}integer>": re.compile(r"[+-]?[0-9]+"),
    f"<{_XSD}decimal>": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    f"<{_XSD}double>": re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    f"<{_XSD}boolean>": re.compile(r"true|false"),
}


def _turtle_term(t: str) -> str:
    """A subject's or object's TriG text from its N-Triples text: an IRI outside the
    prefixes and a string are written as they are."""
    if t[0] == "<":
        return _turtle_iri(t) if t.startswith(_PREFIXED) else t
    return t if t[-1] == '"' else _turtle_literal(t)


# Typed literals (offsets, dates) and prefixed names, which repeat from article to article.
_turtle_object = lru_cache(maxsize=1 << 16)(_turtle_term)


@lru_cache(maxsize=1 << 12)
def _turtle_iri(t: str) -> str:
    """As Oxigraph writes it (a prefixed name where the rest is a valid local name)."""
    return _written(f"{t} {_PROBE} {_PROBE}")[0]


@lru_cache(maxsize=1 << 12)
def _turtle_predicate(t: str) -> str:
    return _written(f"{_PROBE} {t} {_PROBE}")[1] if t.startswith(_PREFIXED) else t


def _turtle_literal(t: str) -> str:
    """A typed literal: bare if the datatype's Turtle grammar takes it (``_INLINE``), else
    "..."^^ and its datatype as ``_turtle_iri`` writes it. Language-tagged: as written."""
    at = t.rfind('"^^<')
    if at < 0:
        return t
    lexical, dtype = t[1:at], t[at + 3:]
    inline = _INLINE.get(dtype)
    if inline is not None and inline.fullmatch(lexical):
        return lexical
    return f'"{lexical}"^^{_turtle_term(dtype)}'


def _written(ntriple: str) -> list[str]:
    """The three terms of one triple as Oxigraph writes them in Turtle with kg's prefixes."""
    triple = next(iter(ox.parse(f"{ntriple} .".encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)))
    text = ox.serialize([triple], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)[len(TURTLE_HEADER):]
    line = text.decode("utf-8")
    if not line.endswith(" .\n") or line.count(" ") != 3:  # pragma: no cover - Oxigraph changed its layout
        raise StoreError(f"cannot tell how Oxigraph writes {ntriple}")
    return line[:-3].split(" ")


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
        self._touched = False  # forget / put called: the exports on disk are not the cache's
        self.last_write: dict[str, tuple[int, int]] = {}  # format: (bytes written, bytes copied)

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
            fresh = row is None or row[0] != tag
            if fresh:
                db.executescript("BEGIN; DROP TABLE IF EXISTS graphs; DROP TABLE IF EXISTS blocks; "
                                 "DROP TABLE IF EXISTS runs; DROP TABLE IF EXISTS shared; "
                                 "DROP TABLE IF EXISTS dirty; DROP TABLE IF EXISTS layouts; "
                                 "DELETE FROM meta WHERE k LIKE 'written:%'; COMMIT;")
            db.executescript("""
                CREATE TABLE IF NOT EXISTS graphs (key TEXT PRIMARY KEY, stamp TEXT, trig BLOB, quads INTEGER);
                CREATE TABLE IF NOT EXISTS runs (first TEXT, last TEXT, graph TEXT, ttl BLOB);
                CREATE INDEX IF NOT EXISTS runs_first ON runs (first);
                CREATE INDEX IF NOT EXISTS runs_graph ON runs (graph);
                CREATE TABLE IF NOT EXISTS blocks (key TEXT PRIMARY KEY, ttl BLOB);
                CREATE TABLE IF NOT EXISTS shared (graph TEXT, key TEXT, PRIMARY KEY (graph, key)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS dirty (key TEXT PRIMARY KEY) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS layouts (name TEXT PRIMARY KEY, signature TEXT, pieces BLOB);
            """)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (tag,))
            if fresh:  # the old layout's pages go back to the file system
                db.execute("VACUUM")
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
        self._touch()
        db.execute("INSERT OR IGNORE INTO dirty SELECT key FROM shared WHERE graph = ?", (key,))
        db.execute("DELETE FROM shared WHERE graph = ?", (key,))
        db.execute("DELETE FROM runs WHERE graph = ?", (key,))
        db.execute("DELETE FROM graphs WHERE key = ?", (key,))

    def put(self, blocks: GraphBlocks) -> None:
        """The graph as now written to the store."""
        key = str(ox.NamedNode(blocks.graph))
        db = self.db
        self._touch()
        packed = blocks.packed or zlib.compress(blocks.trig, ZLIB_LEVEL)
        db.execute("INSERT OR REPLACE INTO graphs VALUES (?, ?, ?, ?)", (key, blocks.stamp, packed, blocks.quads))
        db.executemany("INSERT INTO runs VALUES (?, ?, ?, ?)", ((a, b, key, data) for a, b, data in blocks.runs))
        db.executemany("INSERT OR IGNORE INTO shared VALUES (?, ?)", ((key, k) for k in blocks.shared))
        db.executemany("INSERT OR IGNORE INTO dirty VALUES (?)", ((k,) for k in blocks.shared))
        self._commit_now_and_then()

    def held(self, graph: str) -> tuple[str, bytes] | None:
        """The stamp and TriG block the cache holds for ``graph`` (what the store holds where
        the stamp is the store's), or None."""
        row = self.db.execute("SELECT stamp, trig FROM graphs WHERE key = ?", (str(ox.NamedNode(graph)),)).fetchone()
        return None if row is None else (row[0], zlib.decompress(row[1]))

    def _touch(self) -> None:
        """The cache changes: the records of exports written from it go, in the same
        transaction as the change (a crash before the next write leaves no record)."""
        if not self._touched:
            self.db.execute("DELETE FROM meta WHERE k LIKE 'written:%'")
            self._touched = True

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
        """Union blocks of the dirty subjects. Read from the store's default graph, which a
        writer keeps as the set union of the named graphs (kg.store.embedded): a subject's
        triples once each, where the named graphs repeat them per article (an entity named
        in every article of 2,040: 39 s for all the shared subjects, against 0.2 s). A blank
        node (labelled anew by each load) or a store whose union is not kept (never for the
        build that holds the lock) is read from the named graphs."""
        st, db = self.store.oxigraph, self.db
        union = self.store.union_ready and not self.store.read_only
        last = ""
        while chunk := db.execute("SELECT key FROM dirty WHERE key > ? ORDER BY key LIMIT 1000", (last,)).fetchall():
            last = chunk[-1][0]
            for (key,) in chunk:
                node = _node(key)
                if union and isinstance(node, ox.NamedNode):
                    triples = {restore(q).triple for q in st.quads_for_pattern(node, None, None, ox.DefaultGraph())}
                else:
                    triples = {restore(q).triple for q in st.quads_for_pattern(node, None, None, None)
                               if not isinstance(q.graph_name, ox.DefaultGraph)}
                if not triples:
                    db.execute("DELETE FROM blocks WHERE key = ?", (key,))
                    continue
                ordered = sorted(triples, key=lambda t: (str(t.predicate), str(t.object)))
                ttl = ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)[len(TURTLE_HEADER):]
                db.execute("INSERT OR REPLACE INTO blocks VALUES (?, ?)", (key, zlib.compress(ttl, ZLIB_LEVEL)))
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
            written = f"written:{fmt}:{os.path.abspath(path)}" if fmt in ("trig", "turtle") else None
            if written is not None and self._still_there(written, path):
                paths.append(path)  # the cache has not changed since this file was written from it
                continue
            if fmt == "trig":
                self._assemble(path, written, TRIG_HEADER, ((b"g", t, zlib.decompress) for (t,) in
                                                            self.db.execute("SELECT trig FROM graphs ORDER BY key")))
            elif fmt == "turtle":
                self._refresh_shared()
                self._assemble(path, written, TURTLE_HEADER, self._turtle_pieces())
            else:
                export(self.store, fmt, path)  # raises UsageError on an unknown format
            if written is not None:
                self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (written, _signature(path)))
            paths.append(path)
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")
        self._touched = False  # the next change drops the records just made
        return paths

    def _still_there(self, written: str, path: Path) -> bool:
        """Whether ``path`` is the file this cache wrote last, untouched since (size,
        modification time and inode as recorded), and the cache unchanged: then a build
        with nothing to do rewrites no export (2 x 170 MB for 2,040 articles)."""
        row = self.db.execute("SELECT v FROM meta WHERE k = ?", (written,)).fetchone()
        return row is not None and row[0] == _signature(path)

    def _turtle_pieces(self) -> Iterator[_Piece]:
        """kg.ttl's subject blocks in key order: the runs and the shared blocks merged."""
        runs = self.db.execute("SELECT first, last, ttl FROM runs ORDER BY first")
        shared = self.db.execute("SELECT key, ttl FROM blocks ORDER BY key")
        return _merge_pieces(runs, ((key, key, ttl) for key, ttl in shared))

    def _assemble(self, path: Path, name: str, head: bytes, pieces: Iterable[_Piece]) -> None:
        """Write ``path``: the header, then the pieces; a piece the previous file holds (as
        recorded under ``name`` when this cache wrote it) is copied from it."""
        before: dict[bytes, tuple[int, int]] = {}
        old = None
        row = self.db.execute("SELECT signature, pieces FROM layouts WHERE name = ?", (name,)).fetchone()
        if row is not None and row[0] == _signature(path):
            try:
                old = open(path, "rb")
            except OSError:
                old = None
            else:  # the file opened is the one recorded (not replaced in between)
                if _stat_signature(os.fstat(old.fileno())) == row[0]:
                    before = {d: (at, size) for d, at, size in _PLACED.iter_unpack(row[1])}
        placed = []
        try:
            with atomic_file(path) as f:
                out = _Output(f.fileno(), old.fileno() if before else None)
                first = True
                for tag, data, decode in pieces:
                    if first:
                        out.write(head)
                        first = False
                    if decode is None:  # a block of a run opened in the merge: not a piece
                        out.write(data)
                        continue
                    digest = hashlib.blake2b(data, digest_size=16, person=tag).digest()
                    at = out.position
                    known = before.get(digest)
                    if known is not None:
                        out.copy(*known)
                        size = known[1]
                    else:
                        block = decode(data)
                        out.write(block)
                        size = len(block)
                    placed.append(_PLACED.pack(digest, at, size))
                out.close()
        finally:
            if old is not None:
                old.close()
        self.last_write[name.split(":")[1]] = (out.written, out.copied)
        self.db.execute("INSERT OR REPLACE INTO layouts VALUES (?, ?, ?)", (name, _signature(path), b"".join(placed)))


def _signature(path: Path) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return ""
    return _stat_signature(st)


def _stat_signature(st: os.stat_result) -> str:
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ino}"


# A piece of an export: (tag, cached value, how to make its text from the value), or
# (b"", text, None) for text that is no piece (a block of a run opened in a merge).
_Piece = tuple[bytes, bytes, Callable[[bytes], bytes] | None]


def merge_blocks(runs: Iterable[tuple[str, str, bytes]], shared: Iterable[tuple[str, str, bytes]]) -> Iterator[bytes]:
    """Turtle blocks in key order from packed runs (first key, last key, ``pack_run``) and
    shared blocks (key, key, compressed block), each stream sorted by first key. A run is
    opened only when its first key comes up: a run that nothing else falls inside (the
    rule) is written whole. A key in both a run and a shared block is written once, from
    the run (the block its article made, as before runs)."""
    return (data if decode is None else decode(data) for _, data, decode in _merge_pieces(runs, shared))


def _merge_pieces(runs: Iterable[tuple[str, str, bytes]], shared: Iterable[tuple[str, str, bytes]]) -> Iterator[_Piece]:
    """``merge_blocks`` as pieces: a run written whole and a shared block met with nothing
    open are pieces, left compressed (``ExportCache._assemble`` may copy them)."""
    items = heapq.merge(((a, b, 0, d) for a, b, d in runs), ((a, b, 1, d) for a, b, d in shared),
                        key=lambda item: (item[0], item[2]))  # a run before a shared block of its first key
    nxt = next(items, None)
    heap: list = []  # (key, 0 run / 1 shared, seq, block, rest of its run)
    seq, last = 0, None
    while heap or nxt is not None:
        if not heap:
            first, end, kind, data = nxt
            nxt = next(items, None)
            if kind == 1:
                # nothing open and the keys after it greater (a run of the same first key
                # comes before it): it goes next, unless a run wrote its key
                if first != last:
                    yield b"s", data, zlib.decompress
                    last = first
                continue
            elif (nxt is None or nxt[0] > end) and (last is None or first > last):  # nothing falls inside
                yield b"r", data, run_text
                last = end
                continue
            else:
                entries = iter(unpack_run(data))
            key, block = next(entries)
            heapq.heappush(heap, (key, kind, seq, block, entries))
            seq += 1
        while nxt is not None and nxt[0] <= heap[0][0]:  # open what starts before the smallest key
            first, end, kind, data = nxt
            nxt = next(items, None)
            entries = iter([(first, zlib.decompress(data))] if kind == 1 else unpack_run(data))
            key, block = next(entries)
            heapq.heappush(heap, (key, kind, seq, block, entries))
            seq += 1
        key, kind, _, block, entries = heapq.heappop(heap)
        if key != last:
            yield b"", block, None
            last = key
        following = next(entries, None)
        if following is not None:
            heapq.heappush(heap, (following[0], kind, seq, following[1], entries))
            seq += 1


class _Output:
    """Writes to a file descriptor, in large writes, and copies byte ranges of another file
    into it (adjacent ranges as one copy), kernel-side where the system can
    (``os.copy_file_range``, Linux 4.5+; across file systems since 5.3), else by reading."""

    CHUNK = 1 << 20

    def __init__(self, fd: int, source: int | None):
        self.fd, self.source = fd, source
        self.position = self.written = self.copied = 0
        self._buffer: list[bytes] = []
        self._buffered = 0
        self._range: tuple[int, int] | None = None  # (offset, length) to copy, not yet copied
        self._kernel = hasattr(os, "copy_file_range")

    def write(self, data: bytes) -> None:
        self._copy_range()
        self._buffer.append(data)
        self._buffered += len(data)
        self.position += len(data)
        self.written += len(data)
        if self._buffered >= self.CHUNK:
            self._flush()

    def copy(self, offset: int, length: int) -> None:
        if self._range is not None and sum(self._range) == offset:
            self._range = (self._range[0], self._range[1] + length)
        else:
            self._copy_range()
            self._flush()
            self._range = (offset, length)
        self.position += length
        self.copied += length

    def close(self) -> None:
        self._copy_range()
        self._flush()

    def _flush(self) -> None:
        if self._buffer:
            _write_all(self.fd, b"".join(self._buffer))
            self._buffer, self._buffered = [], 0

    def _copy_range(self) -> None:
        if self._range is None:
            return
        offset, length = self._range
        self._range = None
        while length > 0:
            done = 0
            if self._kernel:
                try:
                    done = os.copy_file_range(self.source, self.fd, length, offset)
                except OSError as exc:
                    if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM):
                        raise
                    # this kernel or file system cannot (EPERM: a sandbox refusing the call)
                    self._kernel = False
                    continue
            else:
                data = os.pread(self.source, min(length, self.CHUNK), offset)
                if data:
                    _write_all(self.fd, data)
                done = len(data)
            if done == 0:  # pragma: no cover - the file recorded was cut short under us
                raise StoreError("the previous export is shorter than recorded: rebuild with it removed")
            offset += done
            length -= done


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
