"""The build's single writer of the store and the export cache, in a thread."""
from __future__ import annotations

import logging
import queue
import threading
from typing import Callable

from kg.errors import BuildError
from kg.reading.articles import ReadProblem
from kg.records import ArticleRecord
from kg.store.embedded import Store
from kg.store.exportcache import TRIG_HEADER, ExportCache, GraphBlocks

log = logging.getLogger("kg")


class Writer:
    """The single writer of the store, in a thread: while Oxigraph stores graphs the
    GIL is free, so writing overlaps extraction. A bounded queue keeps memory flat.

    Records extracted in this process (``backends.Inline``) are mapped here too: spaCy
    frees the GIL in its matrix products, and mapping fills those gaps instead of
    following extraction. Workers hand over graphs already mapped."""

    def __init__(self, store: Store, cache: ExportCache,
                 mapper: Callable[[ArticleRecord], GraphBlocks | ReadProblem], depth: int = 4):
        self.store, self.cache, self.mapper = store, cache, mapper
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.failed: list[ReadProblem] = []
        self.thread = threading.Thread(target=self._run, name="kg-writer", daemon=True)
        self.thread.start()

    def put(self, graphs: list[GraphBlocks | ArticleRecord]) -> None:
        if self.error is not None:
            raise self.error
        if graphs:
            self.queue.put(graphs)

    def _run(self) -> None:
        while (items := self.queue.get()) is not None:
            if self.error is None:
                try:
                    graphs = []
                    for item in items:
                        if isinstance(item, ArticleRecord):
                            item = self.mapper(item)
                        if isinstance(item, ReadProblem):
                            log.warning("skipped %s", item)
                            self.failed.append(item)
                        else:
                            graphs.append(item)
                    for b in graphs:  # first: a crash in between is redone from the store
                        self.cache.forget(b.graph)
                    if graphs:
                        self.store.replace_graphs([b.graph for b in graphs], TRIG_HEADER + b"".join(b.trig for b in graphs))
                    for b in graphs:
                        self.cache.put(b)
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                    self.error = exc

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
