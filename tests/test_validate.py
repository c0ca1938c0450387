"""kg validate: the SHACL shapes over the store or an RDF file, violations named by shape,
focus node and article."""
from __future__ import annotations

import time

import pytest
import rdflib

from kg.cli import main
from kg.store.embedded import Store
from kg.store.validate import Shapes, validate_file, validate_store

NIF = rdflib.Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
SCHEMA = rdflib.Namespace("https://schema.org/")
SEED_ID = "000_6ce42e271251dfbb"


def test_seed_store_conforms(seed_build, capsys):
    out, _ = seed_build
    assert main(["validate", "--out", str(out)]) == 0
    assert "1 graph conforms" in capsys.readouterr().err


def test_seed_trig_conforms(seed_build):
    out, _ = seed_build
    report = validate_file(out / "kg.trig")
    assert report.conforms and report.graphs == 1


def _broken_trig(out, tmp_path):
    """The seed's TriG with one mention's anchor changed and one person left without a label."""
    ds = rdflib.Dataset()
    ds.parse(out / "kg.trig", format="trig")
    (graph,) = [g for g in ds.graphs() if len(g)]
    phrase, anchor = sorted(graph.subject_objects(NIF.anchorOf))[0]
    graph.set((phrase, NIF.anchorOf, rdflib.Literal(str(anchor) + "x")))
    person = sorted(graph.subjects(rdflib.RDF.type, SCHEMA.Person))[0]
    graph.remove((person, rdflib.RDFS.label, None))
    path = tmp_path / "broken.trig"
    ds.serialize(path, format="trig")
    return path, phrase, person


def test_violations_name_shape_focus_and_article(seed_build, tmp_path, capsys):
    out, _ = seed_build
    path, phrase, person = _broken_trig(out, tmp_path)
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert f"{SEED_ID}: kgsh:Phrase on <{phrase}>: nif:anchorOf is not the body's characters" in captured.out
    assert any(line.startswith(f"{SEED_ID}: kgsh:Mentioned rdfs:label on <{person}>") for line in lines), lines
    assert "Traceback" not in captured.err and "2 violations in 1 of 1 graph\n" in captured.err


def test_store_violation_names_its_article(seed_build, tmp_path, capsys):
    out, _ = seed_build
    path, phrase, _ = _broken_trig(out, tmp_path)
    import pyoxigraph as ox

    with Store(tmp_path / "store") as store:
        store.oxigraph.load(path=str(path), format=ox.RdfFormat.TRIG)
    assert main(["validate", "--store", str(tmp_path / "store")]) == 1
    assert f"{SEED_ID}: kgsh:Phrase on <{phrase}>" in capsys.readouterr().out


def test_union_file_finds_the_article_from_the_focus_node(seed_build, tmp_path):
    """A .ttl has no named graphs: the article is the one whose mention the focus node is."""
    out, _ = seed_build
    g = rdflib.Graph().parse(out / "kg.ttl")
    person = sorted(g.subjects(rdflib.RDF.type, SCHEMA.Person))[0]
    g.remove((person, rdflib.RDFS.label, None))
    path = tmp_path / "union.ttl"
    g.serialize(path, format="turtle")
    (v,) = validate_file(path).violations
    assert (v.article, v.shape, v.focus) == (SEED_ID, "kgsh:Mentioned rdfs:label", f"<{person}>")


@pytest.mark.parametrize("name,content", [("x.json", "{}"), ("x.ttl", "<a> <b> .")])
def test_unreadable_input_is_one_line(tmp_path, capsys, name, content):
    (tmp_path / name).write_text(content)
    assert main(["validate", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kg: error: {tmp_path / name}") and err.count("\n") == 1


# Sixty short articles, each a different mix of people, organisations, places, times,
# events and quotes, so that every shape has targets.
PEOPLE = ["Maria Lopez", "John Carter", "Aiko Tanaka", "Peter Novak", "Fatima Haddad", "Liam O'Brien"]
ORGS = ["the World Bank", "Siemens", "the United Nations", "Toyota", "Oxfam"]
PLACES = ["Lisbon", "Nairobi", "Toronto", "Hanoi", "Oslo"]
TIMES = ["on Monday", "last week", "on March 3, 2015", "in 2019", "for three years"]
ACTS = ["announced a merger", "resigned", "opened a factory", "signed an agreement", "was arrested"]


def _article(i: int) -> str:
    p, o, pl = PEOPLE[i % 6], ORGS[i % 5], PLACES[(i // 5) % 5]
    t, a = TIMES[(i // 2) % 5], ACTS[(i // 3) % 5]
    return (f"---\nid: a{i:02d}\ntitle: Report {i}\npublished: 2020-0{1 + i % 9}-1{i % 10}\n---\n"
            f"{p}, the chief executive of {o}, {a} in {pl} {t}.\n\n"
            f"\"We are ready,\" {p.split()[-1]} said. {o[0].upper() + o[1:]} employs {100 + i} people.\n")


def test_sixty_articles_conform(tmp_path):
    from kg.build import BuildOptions, build

    src = tmp_path / "src"
    src.mkdir()
    for i in range(60):
        (src / f"a{i:02d}.md").write_text(_article(i))
    build([src], BuildOptions(out_dir=tmp_path / "out", progress=False, formats=()))
    started = time.monotonic()
    with Store(tmp_path / "out" / "store", read_only=True) as store:
        report = validate_store(store, Shapes())
    seconds = time.monotonic() - started
    assert report.graphs == 60
    assert report.conforms, [v.line() for v in report.violations]
    print(f"validated 60 articles in {seconds:.1f}s")
