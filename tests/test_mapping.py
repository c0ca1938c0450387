"""Records -> RDF, without spaCy: the contract's shapes on a hand-made record."""
from __future__ import annotations

import pytest
import rdflib
from pyoxigraph import RdfFormat, serialize
from rdflib.compare import isomorphic

from kg.rdf.iris import Minter
from kg.rdf.mapping import BuildInfo, article_quads, time_value_triples
from kg.records import ArticleRecord, EntityRecord, Role, TimeRecord
from kg.rdf.vocab import KG, SCHEMA, SEM, TIME
from tests.tools import BODY, mention, record

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
    other.entities[1] = EntityRecord("e1", "PERSON", "Bob Ross", "person:bob ross", [mention("Bob Ray")])
    assert set(_happenings(other).values()) != set(_happenings(record("a1")).values())
    vague = record("a4")
    vague.times[0].value = None
    assert _happenings(vague) == {}


def test_a_set_and_a_duration_with_one_value_are_two_resources():
    m = Minter()
    weekly = TimeRecord("t1", "SET", "every week", "P1W", [mention("Monday")])
    week = TimeRecord("t2", "DURATION", "a week", "P1W", [mention("Monday")])
    assert m.time_of("a1", weekly) != m.time_of("a1", week)
    assert m.time_of("a1", week) == m.time_of("a2", TimeRecord("t9", "DURATION", "one week", "P1W"))


def _event_objects(rec, event_id):
    """(predicate, object) of one event's role-like quads."""
    m = Minter()
    ev = m.local("event", rec.meta.id, event_id)
    return {(q.predicate.value, q.object.value) for q in article_quads(rec, m, BuildInfo("p", "1"))
            if q.subject.value == ev}


def test_a_role_pointing_at_a_time_maps_to_sem_has_time():
    """A role whose target is a time (once dropped because its id was neither an entity's
    nor an event's) is when the event happens: sem:hasTime, never sem:hasActor."""
    rec = record()
    rec.times.append(TimeRecord("t1", "DATE", "Monday", "2020-01-13", [mention("Monday")]))
    rec.events[1].roles.append(Role("theme", "t1", "time"))
    got = _event_objects(rec, "v1")
    monday = Minter().time_of("a1", rec.times[1])
    assert (str(SEM.hasTime), monday) in got
    assert not {p for p, o in got if o == monday} - {str(SEM.hasTime)}


def test_an_amount_is_the_events_measure_not_an_actor():
    """"lost $6 billion", "fell 5%": the value is kg:amount, never sem:hasActor (SEM's
    actors are entities); counted or described participants ("60 jets", "jobs") stay actors."""
    rec = record()
    rec.entities.append(EntityRecord("e3", "MONEY", "$6 billion", "", [mention("Monday")]))
    rec.entities.append(EntityRecord("e4", "PERCENT", "5%", "", [mention("met")]))
    rec.entities.append(EntityRecord("e5", "NUMBER", "60", "", [mention("Bob")]))
    rec.entities.append(EntityRecord("e6", "UNNAMED", "jobs", "", [mention("Oslo")]))
    rec.events[0].roles = [Role("theme", e, "entity") for e in ("e3", "e4", "e5", "e6")]
    got = _event_objects(rec, "v0")
    m = Minter()
    money, pct, count, jobs = (m.entity_of("a1", e) for e in rec.entities[3:])
    assert {p for p, o in got if o in (money, pct)} == {str(KG.amount)}
    assert {p for p, o in got if o == count} == {p for p, o in got if o == jobs} == {str(KG.theme), str(SEM.hasActor)}


def test_roles_map_by_target_kind_not_by_id():
    """An event target is kg:themeEvent, an entity target its role and sem:hasActor, whatever
    the ids look like; an unknown kind is an error, not a silent drop."""
    rec = record()
    rec.entities[1].id = "x1"  # ids that no prefix rule would recognise
    rec.events[0].roles = [Role("agent", "e0", "entity"), Role("patient", "x1", "entity"), Role("theme", "v1", "event")]
    got = _event_objects(rec, "v0")
    m = Minter()
    bob, said = m.entity_of("a1", rec.entities[1]), m.local("event", "a1", "v1")
    assert {(str(KG.patient), bob), (str(SEM.hasActor), bob), (str(KG.themeEvent), said)} <= got
    rec.events[0].roles = [Role("agent", "e0", "place")]
    with pytest.raises(ValueError, match="place"):
        article_quads(rec, m, BuildInfo("p", "1"))


def test_the_store_gives_back_the_quads_mapping_made(tmp_path):
    """Oxigraph keeps xsd:nonNegativeInteger as xsd:integer; kg.rdf.datatypes.restore, which
    the store and the export cache share, puts the datatype back."""
    from kg.store.embedded import Store
    from kg.store.exportcache import canonical

    m = Minter()
    quads = article_quads(record(), m, BuildInfo("p", "1"))
    with Store(tmp_path / "store") as store:
        store.replace_graph(m.graph("a1"), quads)
        raw = {q for q in store.oxigraph.quads_for_pattern(None, None, None, None)}
        back = set(store.quads())
    assert any(q.object.datatype.value.endswith("#integer") for q in raw if hasattr(q.object, "datatype"))
    assert back == set(quads) == set(canonical(quads))


def test_country_code_is_its_own_property_not_the_article_identifier():
    """schema:identifier is the article id only: a join on it must not also meet country
    codes (a country "NO" and an article "NO" would double the rows)."""
    rec = record(article_id="NO")
    rec.entities[2] = EntityRecord("e2", "PLACE", "Norway", "place:geonames:3144096", [mention("Oslo")],
                                   country_code="NO")
    g = _graph(article_quads(rec, Minter(), BuildInfo("p", "1")))
    ids = list(g.query(f"SELECT ?x WHERE {{ GRAPH ?g {{ ?x <{SCHEMA.identifier}> ?id }} }}"))
    assert len(ids) == 1 and "/article/" in str(ids[0][0])
    codes = list(g.query(f"SELECT ?x ?c WHERE {{ GRAPH ?g {{ ?x a <{KG.Country}> ; <{KG.countryCode}> ?c }} }}"))
    assert [str(c) for _, c in codes] == ["NO"]


def test_a_time_whose_only_mention_is_an_entitys_is_left_out():
    """One referent per span: when an entity's mention has the time's text, the time has
    no mention left and is not written (kgsh:Mentioned), nor made an event's time."""
    import dataclasses

    rec = record()
    clash = EntityRecord("e3", "WORK", "Monday", "work:monday", [mention("Monday")])
    rec = dataclasses.replace(rec, entities=[*rec.entities, clash])
    g = _graph(article_quads(rec, Minter(), BuildInfo("test_pipe", "1.0")))
    assert not g.query(f"ASK {{ GRAPH ?g {{ ?t a <{TIME}TemporalEntity> }} }}").askAnswer
    assert not g.query(f"ASK {{ GRAPH ?g {{ ?e <{SEM}hasTime> ?t }} }}").askAnswer
    assert _graph(article_quads(record(), Minter(), BuildInfo("test_pipe", "1.0"))).query(
        f"ASK {{ GRAPH ?g {{ ?e <{SEM}hasTime> ?t . ?t a <{TIME}TemporalEntity> }} }}").askAnswer
