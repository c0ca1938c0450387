"""The build's single writer of the store and the export cache, in a thread."""
from __future__ import annotations

import logging
import os
import queue
import threading
from typing import Callable

from kg.build.extractor import Built
from kg.errors import BuildError
from kg.reading.articles import ReadProblem
from kg.records import ArticleRecord
from kg.store.embedded import Store
from kg.store.exportcache import TRIG_HEADER, ExportCache
from kg.store.records import RecordStore

log = logging.getLogger("kg")

# Graphs go to the store in bulk loads of about this much TriG (~250 news articles), not
# batch by batch: each bulk load into a store that already holds data makes RocksDB
# compact what it holds, so the store's CPU per article grew with the corpus (measured
# on the same 1,000 articles loaded into one store: 32 articles per load, 8 s for the
# first 250 and 14.5 s for each next 250; 256 per load, 9 s for every 250). A crash loses
# at most this much work: the articles not written are built again by the next build.
# $KG_WRITE_BYTES overrides it (tests/test_crash.py: 1, a write per batch, so kills land
# between writes of a small corpus too).
WRITE_BYTES = int(os.environ.get("KG_WRITE_BYTES") or 24 * 2**20)


class Writer:
    """The single writer of the store, in a thread: while Oxigraph stores graphs the
    GIL is free, so writing overlaps extraction. A bounded queue keeps memory flat.

    Records extracted in this process (``backends.Inline``) are mapped here too: spaCy
    frees the GIL in its matrix products, and mapping fills those gaps instead of
    following extraction. Workers hand over graphs already mapped."""

    def __init__(self, store: Store, cache: ExportCache, records: RecordStore,
                 mapper: Callable[[ArticleRecord], Built | ReadProblem], depth: int = 4,
                 write_bytes: int | None = None):
        self.store, self.cache, self.records, self.mapper = store, cache, records, mapper
        self.write_bytes = WRITE_BYTES if write_bytes is None else write_bytes
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
        graphs: list[Built] = []  # mapped, not written yet: written WRITE_BYTES at a time
        size = 0
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
                        else:
                            graphs.append(item)
                            size += len(item.blocks.trig)
                    if graphs and (items is None or size >= self.write_bytes):
                        write_graphs(self.store, self.cache, self.records, graphs)
                        graphs, size = [], 0
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                    self.error = exc
            if items is None:
                return

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
                 identities: dict[str, str] | None = None) -> None:
    """Graphs into the store, the export cache and the record store, in the order that
    makes a crash anywhere redone by the next build: the cache forgets first (a graph the
    cache lacks is redone from the store), the record store learns last (an article whose
    record is missing or stale is rebuilt). ``identities``: the digests of the identity
    changes the graphs were mapped with (kg.build.identity), for graphs only re-mapped."""
    for b in graphs:
        cache.forget(b.blocks.graph)
    if graphs:
        store.replace_graphs([b.blocks.graph for b in graphs], TRIG_HEADER + b"".join(b.blocks.trig for b in graphs))
    for b in graphs:
        cache.put(b.blocks)
    for b in graphs:
        if b.record:
            records.put(b.article, b.blocks.stamp, b.record, rows=b.names)
        if identities is not None:
            records.set_identity(b.article, identities[b.article])
