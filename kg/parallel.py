"""Where extraction runs: in this process, in N forked processes, or on a dask cluster.

Every backend takes a stream of articles and yields ``ArticleRecord``s (or
``ReadProblem``s), with a bounded number of batches in flight, so memory stays flat
whatever the corpus size. The parent maps records to RDF and writes the store (a single
writer). Identity keys are computed per article, so the graph is the same IRI for IRI
whichever worker read which article and in whatever order they finish.
"""
from __future__ import annotations

import itertools
import multiprocessing as mp
from collections import deque
from typing import TYPE_CHECKING, Iterable, Iterator

from .articles import Article, ReadProblem
from .errors import KgError
from .records import ArticleRecord

if TYPE_CHECKING:
    from .build import BuildOptions, Extractor

# Batches in flight per worker: enough to keep workers busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 2

Result = ArticleRecord | ReadProblem


def batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while batch := list(itertools.islice(it, size)):
        yield batch


def records(extractor: "Extractor", articles: Iterable[Article], opts: "BuildOptions") -> Iterator[Result]:
    if opts.scheduler:
        yield from dask_records(opts.scheduler, opts.pipeline, articles, opts.batch_size)
    elif opts.workers > 1:
        yield from pool_records(extractor, articles, opts.batch_size, opts.workers)
    else:
        for batch in batches(articles, opts.batch_size):
            yield from extractor.extract(batch)


# Forked workers inherit the parent's loaded pipeline through this global.
_EXTRACTOR: "Extractor | None" = None


def _pool_extract(batch: list[Article]) -> list[Result]:
    return _EXTRACTOR.extract(batch)


def pool_records(extractor: "Extractor", articles: Iterable[Article], batch_size: int,
                 workers: int) -> Iterator[Result]:
    global _EXTRACTOR
    _EXTRACTOR = extractor
    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        pending: deque = deque()
        for batch in batches(articles, batch_size):
            pending.append(pool.apply_async(_pool_extract, (batch,)))
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


# On a dask worker, one pipeline per worker process, loaded on first use.
_DASK_EXTRACTORS: dict[str, "Extractor"] = {}


def _dask_extract(pipeline: str, batch: list[Article]) -> list[Result]:
    from .build import Extractor

    if pipeline not in _DASK_EXTRACTORS:
        _DASK_EXTRACTORS[pipeline] = Extractor(pipeline)
    return _DASK_EXTRACTORS[pipeline].extract(batch)


def dask_records(address: str, pipeline: str, articles: Iterable[Article], batch_size: int) -> Iterator[Result]:
    """Extraction on an existing dask.distributed cluster (started with dask's own
    ``dask scheduler`` / ``dask worker``), results as they complete."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - dask is a dependency
        raise KgError("dask.distributed is not installed") from exc
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise KgError(f"cannot reach the dask scheduler at {address}: {exc}") from exc
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = as_completed()
        it = batches(articles, batch_size)
        for batch in itertools.islice(it, workers * IN_FLIGHT_PER_WORKER):
            window.add(client.submit(_dask_extract, pipeline, batch, pure=False))
        for future in window:
            yield from future.result()
            future.release()
            nxt = next(it, None)
            if nxt is not None:
                window.add(client.submit(_dask_extract, pipeline, nxt, pure=False))
    finally:
        client.close()
