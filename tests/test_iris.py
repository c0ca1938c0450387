"""Minted IRIs are valid, stable and never collide for different keys."""
from __future__ import annotations

import pyoxigraph as ox

from kg.rdf.iris import Minter


def test_names_that_slug_alike_stay_apart():
    m = Minter()
    a = m.entity("PERSON", "person:jos\u00e9 garc\u00eda", "Jos\u00e9 Garc\u00eda")
    b = m.entity("PERSON", "person:jose garcia", "Jose Garcia")
    assert a != b and a.rsplit("-", 1)[0] == b.rsplit("-", 1)[0]


def test_hostile_article_ids_give_valid_distinct_iris():
    m = Minter()
    ids = ["a b", "a/b", "a%20b", "<x>", "../up", ".", "é/ü", "q?x=1#f", "tab\there", "a\\b"]
    iris = [m.article(i) for i in ids]
    assert len(set(iris)) == len(ids)
    for iri in iris:
        ox.NamedNode(iri)  # raises on an invalid IRI
        assert "/../" not in iri and not iri.endswith("/.")


def test_spellings_that_share_a_key_share_the_iri():
    m = Minter("https://kg.example.org/id/")
    key = "org:us air force"
    assert m.entity("ORG", key, "U.S. Air Force") == m.entity("ORG", key, "US Air Force")
    assert m.entity("ORG", key, "US Air Force").startswith("https://kg.example.org/id/org/us-air-force-")
