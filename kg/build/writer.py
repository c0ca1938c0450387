"""The build's single writer of the store and the export cache, in a thread."""
from __future__ import annotations

import logging
import os
import queue
import re
import tempfile
import threading
from pathlib import Path
from typing import Callable, Container

import pyoxigraph as ox

from kg.build.extractor import Built
from kg.errors import BuildError
from kg.reading.articles import ReadProblem
from kg.records import ArticleRecord
from kg.store.embedded import Store
from kg.store.exportcache import TRIG_HEADER, ExportCache, GraphBlocks
from kg.store.records import PENDING, RecordStore

log = logging.getLogger("kg")

# Graphs go to the store in bulk loads of about this much TriG (~300 news articles), not
# article by article: each bulk load into a store that already holds data makes RocksDB
# compact what it holds, so the fewer the loads, the less the store's CPU (measured:
# 2,040 articles' 198 MB of TriG, named graphs and default graph, in loads of 8, 16 and
# 32 MB: 139, 121 and 109 s of CPU; in one: 109 s and 2 GB of memory). A bulk load takes
# about 14 times its TriG in memory: at 24 MB a build's CPU went 430 -> 399 s and its peak
# RSS 490 -> 705 MiB (2,040 articles, 1 worker).
# $KG_WRITE_BYTES overrides it (tests/test_crash.py: 1, a write per article, so kills land
# between writes of a small corpus too).
WRITE_BYTES = int(os.environ.get("KG_WRITE_BYTES") or 24 * 2**20)
# The Writer's loads while the pipeline works in this process (extraction inline, one
# worker): a load's ~14 times its TriG then comes on top of the pipeline's memory, and
# it runs on the core extraction leaves idle, so smaller loads cost CPU but no time.
# 2,040 articles, 1 worker, loads of 24 MB against 8 MB: peak RSS 1,022 -> 654 MiB (the
# pipeline alone: ~540), CPU 450 -> 501 s, wall 326 -> 329 s.
INLINE_LOAD_BYTES = int(os.environ.get("KG_WRITE_BYTES") or 8 * 2**20)


# A graph whose changed quads (out and in) exceed this share of its quads is replaced
# whole rather than patched (an article rewritten): a patch costs about as much per quad
# changed as a replacement per quad of the graph (SPARQL text and a lookup per removed
# triple against a drop and two bulk loads). Measured on 20 news articles of 2,040 with
# their last sentence changed, 800-1,700 quads each, 30-35% of them changed (the NIF
# context's IRI holds the text's length: every mention's nif:referenceContext changes):
# patched 1.1 s, replaced 2.9 s.
PATCH_SHARE = 0.75

# Where a subject's block starts in a graph's TriG (kg.store.exportcache.triple_blocks):
# a line indented once; a block's further predicates are indented twice, and literals
# escape their line breaks.
_BLOCK_START = re.compile(rb"\n(?=\t[^\t])")


class Spool:
    """The graphs a build mapped, held on disk until the corpus-wide identities are known
    (``kg.build.run.settle_identities``): a graph those leave as it is goes to the store
    from here, once; the others are mapped again from their records. Writing them to the
    store as they came and replacing a fifth of them afterwards cost ~15% of a clean
    build's CPU (a replaced graph is deleted quad by quad in six indexes). The file has no
    name (O_TMPFILE where the platform has it): a killed build leaves nothing behind, and
    its articles, whose graphs the store lacks, are built again by the next build."""

    def __init__(self, directory: Path | None):
        self.file = tempfile.TemporaryFile(dir=directory, prefix=".kg-spool-") if directory else None
        self.index: dict[str, tuple[str, str, int, int, int]] = {}  # id -> graph, stamp, offset, size, quads
        self.loaded: set[str] = set()  # articles whose graph, as spooled, the store holds (``Writer``)
        # id -> stamp, offset, size of the version the store held before this build (an
        # article changed since the last build), as the export cache had it
        self.before: dict[str, tuple[str, int, int]] = {}

    @classmethod
    def empty(cls) -> "Spool":
        """A spool without graphs (no file): re-mapping only (kg remove, kg link)."""
        return cls(None)

    def add(self, built: Built) -> None:
        b = built.blocks
        self.index[built.article] = (b.graph, b.stamp, *self._append(b.trig), b.quads)

    def add_before(self, article: str, stamp: str, trig: bytes) -> None:
        """The version of ``article``'s graph the store holds, with its stamp."""
        self.before[article] = (stamp, *self._append(trig))

    def get_before(self, article: str) -> Built | None:
        """The graph ``add_before`` kept for ``article`` (its stamp in its blocks), or None."""
        if article not in self.before:
            return None
        stamp, offset, size = self.before[article]
        return Built(article, GraphBlocks(self.index[article][0], stamp, self._read(offset, size)))

    def _append(self, data: bytes) -> tuple[int, int]:
        offset = self.file.seek(0, os.SEEK_END)
        self.file.write(data)
        return offset, len(data)

    def _read(self, offset: int, size: int) -> bytes:
        self.file.seek(offset)
        return self.file.read(size)

    def __contains__(self, article: str) -> bool:
        return article in self.index

    def get(self, article: str) -> Built:
        """The article's graph as mapped (its blocks are in the export cache already)."""
        graph, stamp, offset, size, quads = self.index[article]
        return Built(article, GraphBlocks(graph, stamp, self._read(offset, size), quads=quads))

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


class Writer:
    """The single writer of the build's results, in a thread: while it writes, the GIL is
    free, so writing overlaps extraction. A bounded queue keeps memory flat.

    Each article's record goes to the record store, its blocks to the export cache and its
    graph to the ``spool``, from where it reaches the store once the build knows the
    corpus-wide identities. Records extracted in this process (``backends.Inline``) are
    mapped here too: spaCy frees the GIL in its matrix products, and mapping fills those
    gaps instead of following extraction. Workers hand over graphs already mapped.

    The graph of an article the store lacks (``known``: the articles it holds) also goes to
    ``store`` now, in bulk loads of ``load_bytes`` (WRITE_BYTES unless given), as mapped:
    Oxigraph loads without the GIL, on a core extraction leaves idle, where after
    extraction the build would wait for it (2,040 articles: the store's loads were 45 s
    of a 202 s build). The corpus-wide identities change few of these graphs and few of
    their triples (2,040 articles: 408 graphs, 2,108 quads out and 2,278 in, of 774,316),
    which ``settle_identities`` then patches in place (``patch_graphs``). Of an article the store holds, the version the
    export cache had goes to the spool (``Spool.add_before``) before the cache takes the
    new one: ``settle_identities`` patches the store's graph from it too."""

    def __init__(self, spool: Spool, cache: ExportCache, records: RecordStore,
                 mapper: Callable[[ArticleRecord], Built | ReadProblem], depth: int = 4,
                 store: Store | None = None, known: Container[str] = (), load_bytes: int | None = None):
        self.spool, self.cache, self.records, self.mapper = spool, cache, records, mapper
        self.store, self.known = store, known
        self.load_bytes = load_bytes or WRITE_BYTES  # TriG per load into ``store``
        self._early: list[Built] = []  # mapped graphs for the store's next load
        self._early_bytes = 0
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.failed: list[ReadProblem] = []
        self.thread = threading.Thread(target=self._run, name="kg-writer", daemon=True)
        self.thread.start()

    def put(self, graphs: list[Built | ArticleRecord]) -> None:
        if self.error is not None:
            raise self.error
        if graphs:
            self.queue.put(graphs)

    def _run(self) -> None:
        while True:
            items = self.queue.get()
            if self.error is None:
                try:
                    for item in items or ():
                        if isinstance(item, ArticleRecord):
                            item = self.mapper(item)
                        if isinstance(item, ReadProblem):
                            log.warning("skipped %s", item)
                            self.failed.append(item)
                            continue
                        # the cache forgets first and learns before the store: its entry
                        # carries the new stamp, which the store's graph lacks until it is
                        # written, so a crash in between makes the cache redo it
                        before = self.cache.held(item.blocks.graph) if item.article in self.known else None
                        self.cache.forget(item.blocks.graph)
                        self.cache.put(item.blocks)
                        self.records.put(item.article, item.blocks.stamp, item.record, PENDING, rows=item.names)
                        self.spool.add(item)
                        if before is not None:  # settle_identities patches it into the new version
                            self.spool.add_before(item.article, *before)  # (stamp, TriG)
                        if self.store is not None and item.article not in self.known:
                            self._early.append(item)
                            self._early_bytes += len(item.blocks.trig)
                            if self._early_bytes >= self.load_bytes:
                                self._load()
                    if items is None:
                        self._load()
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                    self.error = exc
            if items is None:
                return

    def _load(self) -> None:
        """The graphs of ``_early`` into the store, as the spool holds them."""
        if self._early:
            _replace(self.store, self._early)
            self.spool.loaded.update(b.article for b in self._early)
            self._early, self._early_bytes = [], 0

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is not None:  # failing anyway: skip what is queued
            self.error = self.error or BuildError("build interrupted")
            while not self.queue.empty():
                self.queue.get_nowait()
        self.queue.put(None)
        self.thread.join()
        if exc_type is None and self.error is not None:
            raise self.error


def write_graphs(store: Store, cache: ExportCache, records: RecordStore, graphs: list[Built],
                 identities: dict[str, str], cached: frozenset[str] = frozenset()) -> None:
    """Graphs into the store and the export cache, in the order that makes a crash
    anywhere redone by the next build: the cache forgets first (a graph the cache lacks is
    redone from the store), the record store learns last which identity changes
    (kg.build.identity; their digests, ``identities``) the store's graph was mapped with.
    ``cached``: articles whose blocks the export cache holds already (the spool's)."""
    for b in graphs:
        if b.article not in cached:
            cache.forget(b.blocks.graph)
    if graphs:
        _replace(store, graphs)
    for b in graphs:
        if b.article not in cached:
            cache.put(b.blocks)
    for b in graphs:
        records.set_identity(b.article, identities[b.article])


def patch_graphs(store: Store, cache: ExportCache, records: RecordStore, pairs: list[tuple[Built, Built]],
                 identities: dict[str, str], cached: frozenset[str] = frozenset()) -> None:
    """Graphs the store holds (``old``: as the spool has them, ``Writer``, or as the export
    cache had them) changed to the versions they must have (``new``) by the quads that
    differ, in the order of ``write_graphs``: the cache forgets first, the record store
    learns last. A graph with a blank node in the difference, or changed in more than
    PATCH_SHARE of its quads, goes through ``write_graphs``, whole. ``cached``: articles
    whose new blocks the export cache holds already (the spool's)."""
    removed: list[ox.Quad] = []
    added: list[ox.Quad] = []
    patched: list[Built] = []
    whole: list[Built] = []
    for old, new in pairs:
        diff = graph_diff(old.blocks.trig, new.blocks.trig)
        if diff is None or len(diff[0]) + len(diff[1]) > new.blocks.quads * PATCH_SHARE:
            whole.append(new)
        else:
            removed += diff[0]
            added += diff[1]
            patched.append(new)
    for b in patched:
        if b.article not in cached:
            cache.forget(b.blocks.graph)
    store.patch_graphs(removed, added)
    for b in patched:
        if b.article not in cached:
            cache.put(b.blocks)
        records.set_identity(b.article, identities[b.article])
    if whole:
        write_graphs(store, cache, records, whole, identities, cached)


def _replace(store: Store, graphs: list[Built]) -> None:
    """Mapped graphs into the store, in one bulk load (their old versions dropped)."""
    store.replace_graphs([b.blocks.graph for b in graphs], TRIG_HEADER + b"".join(b.blocks.trig for b in graphs))


def graph_diff(old: bytes, new: bytes) -> tuple[list[ox.Quad], list[ox.Quad]] | None:
    """The quads of one graph's TriG block ``old`` that ``new`` lacks, and those ``new``
    adds; None if either has a blank node among them. Only the subject blocks that differ
    as text are parsed (a graph is written canonically: one block per subject, sorted)."""
    (head_a, a), (head_b, b) = _subject_blocks(old), _subject_blocks(new)
    gone, came = a - b, b - a
    before, after = _parse(head_a, gone), _parse(head_b, came)
    removed, added = before - after, after - before
    if any(isinstance(t, ox.BlankNode) for q in removed | added for t in (q.subject, q.object)):
        return None
    return sorted(removed, key=str), sorted(added, key=str)


def _subject_blocks(trig: bytes) -> tuple[bytes, set[bytes]]:
    """A graph's TriG block -> its opening line, and the set of its subject blocks."""
    head, _, body = trig.partition(b"\n")
    return head, {b.rstrip(b"\n") for b in _BLOCK_START.split(body.removesuffix(b"}\n"))} - {b""}


def _parse(head: bytes, blocks: set[bytes]) -> set[ox.Quad]:
    if not blocks:
        return set()
    text = TRIG_HEADER + head + b"\n" + b"\n".join(sorted(blocks)) + b"\n}\n"
    return set(ox.parse(text, format=ox.RdfFormat.TRIG))
