"""Records -> RDF, without spaCy: the contract's shapes on a hand-made record."""
from __future__ import annotations

import rdflib
from pyoxigraph import RdfFormat, serialize
from rdflib.compare import isomorphic

from kg.rdf.iris import Minter
from kg.rdf.mapping import BuildInfo, article_quads, time_value_triples
from kg.records import (ArticleMeta, ArticleRecord, EntityRecord, EventRecord, Mention, QuoteRecord,
                        Role, TimeRecord)
from kg.rdf.vocab import KG, SCHEMA, SEM, TIME

BODY = "Ann Lee met Bob Ray in Oslo on Monday. Lee said: \"It went well.\""


def _m(text, start=0):
    i = BODY.index(text, start)
    return Mention(i, i + len(text), text)


def record(article_id="a1", published="2020-01-08"):
    return ArticleRecord(
        meta=ArticleMeta(id=article_id, headline="Meeting", published=published, content_hash="0" * 64),
        body=BODY, pipeline="test_pipe", pipeline_version="1.0",
        entities=[
            EntityRecord("e0", "PERSON", "Ann Lee", "person:ann lee", [_m("Ann Lee"), _m("Lee", 30)], ["Lee"]),
            EntityRecord("e1", "PERSON", "Bob Ray", "person:bob ray", [_m("Bob Ray")]),
            EntityRecord("e2", "PLACE", "Oslo", "place:geonames:3143244", [_m("Oslo")],
                         same_as=["https://sws.geonames.org/3143244/"], lat=59.91, long=10.75),
        ],
        times=[TimeRecord("t0", "DATE", "Monday", "2020-01-06", [_m("Monday")])],
        events=[
            EventRecord("v0", "Consultation", "meet", "meet", [_m("met")],
                        roles=[Role("agent", "e0"), Role("patient", "e1")], places=["e2"], times=["t0"]),
            EventRecord("v1", "Statement", "say", "say", [_m("said")], roles=[Role("agent", "e0")]),
        ],
        quotes=[QuoteRecord("q0", "It went well.", BODY.index("It"), BODY.index("It") + 13, "e0", _m("said"), "v1")],
    )


def _graph(quads) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(data=serialize(quads, format=RdfFormat.N_QUADS), format="nquads")
    return ds


def test_contract_shapes():
    g = _graph(article_quads(record(), Minter(), BuildInfo("test_pipe", "1.0")))
    rows = g.query("""
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
        SELECT ?b ?e ?s ?x WHERE { GRAPH ?g { ?m a nif:Phrase ; nif:beginIndex ?b ; nif:endIndex ?e ;
            nif:anchorOf ?s ; itsrdf:taIdentRef ?x ; nif:referenceContext ?c . ?c nif:isString ?body } }""")
    rows = list(rows)
    assert len(rows) == 7  # 4 entity, 1 time and 2 event mentions
    for b, e, s, _ in rows:
        assert BODY[int(b):int(e)] == str(s)
        assert b.datatype == rdflib.XSD.nonNegativeInteger
    ask = lambda q: g.query(q).askAnswer  # noqa: E731
    prefixes = f"PREFIX kg: <{KG._NS}> PREFIX schema: <{SCHEMA}> PREFIX sem: <{SEM}> PREFIX time: <{TIME}> "
    assert ask(prefixes + """ASK { GRAPH ?g { ?ev a kg:Consultation, sem:Event, schema:Event ;
        kg:agent ?a ; sem:hasActor ?a, ?b ; sem:hasPlace ?p ; sem:hasTime ?t .
        ?a schema:name "Ann Lee" . ?b schema:name "Bob Ray" . ?p a schema:Place .
        ?t time:inXSDDate "2020-01-06"^^<http://www.w3.org/2001/XMLSchema#date> ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> "2020-01-06" } }""")
    assert ask(prefixes + """ASK { GRAPH ?g { ?q a schema:Quotation ; schema:creator ?a ; kg:quoteOf ?ev .
        ?a schema:name "Ann Lee" . ?ev a kg:Statement } }""")
    assert ask(prefixes + """ASK { GRAPH ?g { ?a a schema:NewsArticle ; schema:identifier "a1" ;
        schema:datePublished "2020-01-08"^^<http://www.w3.org/2001/XMLSchema#date> } }""")


def test_same_entity_same_iri_across_articles():
    m, info = Minter(), BuildInfo("p", "1")
    g1 = {str(q.object) for q in article_quads(record("a1"), m, info)}
    g2 = {str(q.object) for q in article_quads(record("a2"), m, info)}
    people = {o for o in g1 & g2 if "/person/" in o}
    assert len(people) == 2  # Ann Lee and Bob Ray: one IRI each, whatever the article


def test_deterministic_and_isomorphic():
    m, info = Minter(), BuildInfo("p", "1")
    a, b = article_quads(record(), m, info), article_quads(record(), m, info)
    assert a == b
    ga, gb = rdflib.Graph(), rdflib.Graph()
    for g, quads in ((ga, _graph(a)), (gb, _graph(b))):
        for s, p, o, _ in quads.quads((None, None, None, None)):
            g.add((s, p, o))
    assert len(ga) > 50 and isomorphic(ga, gb)


def test_base_iri_is_configurable():
    quads = article_quads(record(), Minter("http://data.example.net/news/"), BuildInfo("p", "1"))
    subjects = {q.subject.value for q in quads}
    assert all(s.startswith("http://data.example.net/news/") for s in subjects)


def test_time_values():
    assert time_value_triples("2018-07-16")[0][1].datatype.value.endswith("#date")
    assert time_value_triples("2018-07")[0][1].datatype.value.endswith("#gYearMonth")
    assert time_value_triples("2016")[0][1].datatype.value.endswith("#gYear")
    assert time_value_triples("P3D")[0][1].value == "P3D"
    assert time_value_triples("P2W")[0][1].value == "P14D"
    assert time_value_triples("2018-W29") == [] and time_value_triples("PRESENT_REF") == []


def test_record_json_round_trip():
    import json

    rec = record()
    again = ArticleRecord.from_dict(json.loads(json.dumps(rec.to_dict())))
    assert again == rec


def _happenings(rec):
    g = _graph(article_quads(rec, Minter(), BuildInfo("test_pipe", "1.0")))
    return {str(ev): str(h) for ev, _, h, _ in g.quads((None, rdflib.URIRef(str(KG.happening)), None, None))}


def test_same_event_in_two_articles_shares_a_happening():
    a, b = _happenings(record("a1")), _happenings(record("a2", published="2020-01-09"))
    assert len(a) == 1 and len(b) == 1  # the meeting; the statement has no resolved day
    assert set(a.values()) == set(b.values())
    assert set(a) != set(b)  # the events themselves stay the articles' own


def test_different_participants_make_different_happenings():
    other = record("a3")
    other.entities[1] = EntityRecord("e1", "PERSON", "Bob Ross", "person:bob ross", [_m("Bob Ray")])
    assert set(_happenings(other).values()) != set(_happenings(record("a1")).values())
    vague = record("a4")
    vague.times[0].value = None
    assert _happenings(vague) == {}


def test_a_set_and_a_duration_with_one_value_are_two_resources():
    from kg.rdf.mapping import time_iri

    m = Minter()
    weekly = TimeRecord("t1", "SET", "every week", "P1W", [_m("Monday")])
    week = TimeRecord("t2", "DURATION", "a week", "P1W", [_m("Monday")])
    assert time_iri(m, "a1", weekly) != time_iri(m, "a1", week)
    assert time_iri(m, "a1", week) == time_iri(m, "a2", TimeRecord("t9", "DURATION", "one week", "P1W"))
