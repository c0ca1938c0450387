"""The code's vocabulary and ontology/*.ttl stay in step; what we write conforms to the shapes."""
from __future__ import annotations

from pathlib import Path

import pyshacl
import rdflib
from rdflib import OWL, RDF

from kg.rdf.vocab import KG

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


def _declared(path: Path, ns: str) -> set[str]:
    g = rdflib.Graph().parse(path)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {str(s)[len(ns):] for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(ns)}


def test_kg_namespace_matches_ontology():
    ns = str(KG._NS)
    in_code = {name for name in KG.__annotations__}
    assert in_code == _declared(ONTOLOGY / "kg.ttl", ns)


def test_every_class_aligned_with_a_contract_vocabulary():
    g = rdflib.Graph().parse(ONTOLOGY / "kg.ttl")
    ns = str(KG._NS)
    classes = set(g.subjects(RDF.type, OWL.Class))
    assert len(classes) > 10, "no classes read from kg.ttl: the loop below would check nothing"
    for cls in classes:
        supers = {str(o) for o in g.transitive_objects(cls, rdflib.RDFS.subClassOf)} - {str(cls)}
        assert any(not s.startswith(ns) for s in supers), f"{cls} is not aligned with an external class"


def _validate(data: rdflib.Graph):
    shapes = rdflib.Graph().parse(ONTOLOGY / "shapes.ttl")
    ont = rdflib.Graph()
    for ttl in sorted(ONTOLOGY.glob("*.ttl")):
        if ttl.name != "shapes.ttl":
            ont.parse(ttl)
    return pyshacl.validate(data, shacl_graph=shapes, ont_graph=ont, inference="rdfs")


def test_seed_graph_conforms_to_shapes(seed_build):
    out, _ = seed_build
    conforms, _, text = _validate(rdflib.Graph().parse(out / "kg.ttl"))
    assert conforms, text[:4000]


def test_shapes_catch_a_wrong_anchor(seed_build):
    out, _ = seed_build
    g = rdflib.Graph().parse(out / "kg.ttl")
    nif = rdflib.Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    m, anchor = next(iter(g.subject_objects(nif.anchorOf)))
    g.set((m, nif.anchorOf, rdflib.Literal(str(anchor) + "x")))
    conforms, _, text = _validate(g)
    assert not conforms and "anchorOf" in text
