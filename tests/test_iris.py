"""Minted IRIs are valid, stable and never collide for different keys."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

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


def test_owned_by_tells_an_articles_own_resources_from_shared_ones():
    from kg.rdf.iris import owned_by
    from kg.rdf.mapping import BuildInfo, article_quads
    from tests.tools import record

    m = Minter()
    rec = record("a/1")
    rec.entities.append(rec.entities[0].__class__("e3", "MONEY", "$5", "", []))
    subjects = {q.subject.value for q in article_quads(rec, m, BuildInfo("p", "1"))}
    owned = owned_by(m.graph("a/1"), "a/1")
    mine = {s for s in subjects if owned(s)}
    assert mine == {s for s in subjects if s == m.article("a/1") or "/a/1/" in s or "/text/a/1#" in s}
    assert {m.local("event", "a/1", "v0"), m.local("quote", "a/1", "q0"), m.local("value", "a/1", "e3")} <= mine
    assert m.entity_of("a/1", rec.entities[0]) in subjects - mine  # shared across articles
    with pytest.raises(ValueError):
        m.local("mention", "a/1", "x")  # a kind owned_by does not know would be taken for shared


def test_no_module_imports_a_private_name_from_another():
    """IRIs, datatypes and sort keys have public names where they live (kg.rdf.iris, ...)."""
    import ast
    from pathlib import Path

    offenders = []
    for path in sorted((Path(__file__).resolve().parent.parent / "kg").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                offenders += [f"{path.name}: {a.name}" for a in node.names
                              if a.name.startswith("_") and not a.name.startswith("__")]
            elif (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                  and node.attr != "_NS"  # rdflib's DefinedNamespace API names its IRI _NS
                  and isinstance(node.value, ast.Name) and node.value.id[:1].isupper()):
                offenders.append(f"{path.name}: {node.value.id}.{node.attr}")  # Minter._id_path
    assert offenders == []
