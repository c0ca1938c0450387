"""Link decisions as RDF, in their own named graph (``links_graph``: ``{base}links/wikidata``,
not an article graph, so ``kg build --prune`` and ``kg remove`` leave it, and the exports
carry it like any named graph of the store).

One node per decision, an OWL axiom annotated with SSSOM's mapping metadata (the Simple
Standard for Sharing Ontological Mappings, https://mapping-commons.github.io/sssom/,
whose RDF form reifies a mapping as ``owl:Axiom`` with ``owl:annotatedSource`` /
``owl:annotatedProperty`` / ``owl:annotatedTarget``), and PROV-O for when the endpoint
was asked::

    <{base}links/wikidata/ART/KEYHASH> a owl:Axiom ;
        owl:annotatedSource <the entity's IRI> ; owl:annotatedProperty skos:exactMatch ;
        owl:annotatedTarget wd:Q7747 ;            # sssom:NoTermFound: no confident item
        dcterms:source "ART" ; dcterms:identifier "person:vladimir putin" ;  # the record's
        sssom:subject_label "Vladimir Putin" ; sssom:subject_source <{base}article/ART> ;
        sssom:object_category "PERSON" ;          # the kg kind the item stands for
        sssom:similarity_score 2.41 ; sssom:similarity_measure "..." ;
        sssom:mapping_justification semapv:LexicalMatching ; sssom:mapping_tool "kg 0.1.0" ;
        prov:wasGeneratedBy <{base}links/wikidata/asked/HASH> .
    <{base}links/wikidata/asked/HASH> a prov:Activity ; prov:startedAtTime "..."^^xsd:dateTime ;
        prov:used <https://query.wikidata.org/sparql> .

Times are when the endpoint answered, read from the cache: a re-run without new
questions writes the same graph.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.linking.kinds import WIKIDATA_ENTITY
from kg.rdf.iris import Minter, short_hash
from kg.rdf.vocab import DCTERMS, DEFAULT_BASE_IRI, OWL, PROV, RDF, SKOS, XSD

SSSOM = "https://w3id.org/sssom/"
SEMAPV = "https://w3id.org/semapv/vocab/"
NO_TERM_FOUND = SSSOM + "NoTermFound"
MEASURE = ("kg: exact English label or alias, kind classes, then article context (statements joining "
           "the article's candidates, description words) and sitelinks")


@dataclass(frozen=True)
class Link:
    """A confident link: the item (``"Q7747"``), the kg kind its classes evidence
    (PERSON / ORG / PLACE; a human is a PERSON whatever the tagger said), and its score."""

    qid: str
    kind: str
    score: float


@dataclass(frozen=True)
class Decision:
    article: str
    key: str
    label: str
    entity_iri: str
    link: Link | None
    asked: str  # when the endpoint answered about the entity's names (the latest)
    endpoint: str


def links_graph(base: str = DEFAULT_BASE_IRI) -> str:
    return f"{Minter(base).base}links/wikidata"


def decision_quads(decisions: list[Decision], base: str) -> list[ox.Quad]:
    minter = Minter(base)
    g = ox.NamedNode(links_graph(base))
    n = ox.NamedNode
    out: list[ox.Quad] = []

    def add(s, p, o):
        out.append(ox.Quad(s, n(str(p)), o, g))

    from kg import __version__

    for d in decisions:
        node = n(f"{links_graph(base)}/{minter.id_path(d.article)}/{short_hash(d.key)}")
        act = n(f"{links_graph(base)}/asked/{short_hash(d.endpoint + ' ' + d.asked, 16)}")
        add(node, RDF.type, n(str(OWL.Axiom)))
        add(node, OWL.annotatedSource, n(d.entity_iri))
        add(node, OWL.annotatedProperty, n(str(SKOS.exactMatch)))
        add(node, OWL.annotatedTarget, n(WIKIDATA_ENTITY + d.link.qid if d.link else NO_TERM_FOUND))
        add(node, DCTERMS.source, ox.Literal(d.article))
        add(node, DCTERMS.identifier, ox.Literal(d.key))
        add(node, SSSOM + "subject_label", ox.Literal(d.label))
        add(node, SSSOM + "subject_source", n(minter.article(d.article)))
        if d.link:
            add(node, SSSOM + "object_category", ox.Literal(d.link.kind))
            add(node, SSSOM + "similarity_score", ox.Literal(f"{d.link.score:.4f}".rstrip("0").rstrip("."),
                                                             datatype=n(str(XSD.decimal))))
        add(node, SSSOM + "similarity_measure", ox.Literal(MEASURE))
        add(node, SSSOM + "mapping_justification", n(SEMAPV + "LexicalMatching"))
        add(node, SSSOM + "mapping_tool", ox.Literal(f"kg {__version__}"))
        add(node, PROV.wasGeneratedBy, act)
        add(act, RDF.type, n(str(PROV.Activity)))
        add(act, PROV.startedAtTime, ox.Literal(d.asked, datatype=n(str(XSD.dateTime))))
        add(act, PROV.used, n(d.endpoint))
    return sorted(set(out), key=str)


def decisions(store) -> dict[tuple[str, str], Link]:
    """(article id, entity key) -> the confident ``Link`` recorded in the store's links
    graph (``kg link``); names left unlinked, or never asked, are absent."""
    base = store.recorded_base_iri() or DEFAULT_BASE_IRI
    q = f"""SELECT ?article ?key ?target ?kind ?score WHERE {{ GRAPH <{links_graph(base)}> {{
        ?m <{OWL.annotatedTarget}> ?target ; <{DCTERMS.source}> ?article ; <{DCTERMS.identifier}> ?key ;
           <{SSSOM}object_category> ?kind ; <{SSSOM}similarity_score> ?score .
        FILTER(STRSTARTS(STR(?target), "{WIKIDATA_ENTITY}")) }} }}"""
    out = {}
    for row in store.oxigraph.query(q):
        qid = row["target"].value[len(WIKIDATA_ENTITY):]
        out[(row["article"].value, row["key"].value)] = Link(qid, row["kind"].value, float(row["score"].value))
    return dict(sorted(out.items()))
