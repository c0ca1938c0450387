"""What a new query user meets: compact JSON-LD, SPARQL CSV / TSV values, whole table
cells on request, date-ordered timelines, the command table, and a build that says why it
found nothing."""
from __future__ import annotations

import io
import json
import re

import pyoxigraph as ox
import rdflib
import rdflib.compare
import pytest

from kg.rdf.iris import Minter
from kg.rdf.mapping import BuildInfo, article_quads
from kg.rdf.vocab import PREFIXES
from kg.records import ArticleMeta, ArticleRecord, EntityRecord, EventRecord, Mention, Role, TimeRecord
from kg.store.export import write_jsonld
from kg.store.results import ResultSet, Term, render

from .conftest import ROOT
from .test_cli import kg

XSD = "http://www.w3.org/2001/XMLSchema#"

# -- 1. JSON-LD: compact, with kg's prefixes as @context, the same dataset -----------------


def _jsonld(quads) -> bytes:
    buf = io.BytesIO()
    write_jsonld(sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))), buf)
    return buf.getvalue()


def test_jsonld_is_compact_and_reads_back_as_the_same_quads():
    g1, g2 = ox.NamedNode("https://kg.example.org/id/graph/a"), ox.NamedNode("https://kg.example.org/id/graph/b")
    x, b = ox.NamedNode("https://kg.example.org/id/x"), ox.BlankNode("n1")
    schema, rdf = PREFIXES["schema"], PREFIXES["rdf"]
    quads = [
        ox.Quad(x, ox.NamedNode(rdf + "type"), ox.NamedNode(schema + "Person"), g1),
        ox.Quad(x, ox.NamedNode(schema + "name"), ox.Literal("Ann \"A\"\nLee"), g1),
        ox.Quad(x, ox.NamedNode(schema + "name"), ox.Literal("Anne", language="fr"), g1),
        ox.Quad(x, ox.NamedNode(schema + "age"), ox.Literal("01", datatype=ox.NamedNode(XSD + "integer")), g1),
        ox.Quad(x, ox.NamedNode("http://example.org/other#p"), b, g1),  # no prefix: the whole IRI
        ox.Quad(b, ox.NamedNode(schema + "url"), ox.NamedNode(schema + "//odd"), g1),  # "schema://odd" would be misread
        ox.Quad(x, ox.NamedNode(schema + "name"), ox.Literal("Ann"), g2),
    ]
    text = _jsonld(quads)
    doc = json.loads(text)
    assert doc["@context"] == dict(sorted(PREFIXES.items()))
    assert "https://schema.org/name" not in text.decode() and '"schema:name"' in text.decode()
    assert '"@type":"schema:Person"' in text.decode()
    assert '"@value":"01","@type":"xsd:integer"' in text.decode()  # the lexical form kept, not the number 1
    back = set(ox.parse(text, format=ox.RdfFormat.JSON_LD))
    assert {(q.subject, q.predicate, q.object, q.graph_name) for q in back if isinstance(q.subject, ox.NamedNode)} == \
        {(q.subject, q.predicate, q.object, q.graph_name) for q in quads if isinstance(q.subject, ox.NamedNode)}
    assert len(back) == len(quads)
    ds = rdflib.Dataset()
    ds.parse(data=text.decode(), format="json-ld")
    assert len(list(ds.quads((None, None, None, None)))) == len(quads)
    assert _jsonld(reversed(quads)) == text  # the order of the quads given does not matter once sorted


def test_jsonld_export_is_the_turtle_export(seed_build, tmp_path):
    out, _ = seed_build
    target = tmp_path / "kg.jsonld"
    res = kg("export", "--format", "jsonld", "-o", target, "--out", out)
    assert res.returncode == 0, res.stderr
    text = target.read_text(encoding="utf-8")
    assert json.loads(text)["@context"]["schema"] == "https://schema.org/"
    assert '"https://schema.org/' not in text.replace('"schema":"https://schema.org/"', "")
    ds = rdflib.Dataset()
    ds.parse(target, format="json-ld")
    union = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert rdflib.compare.isomorphic(union, rdflib.Graph().parse(out / "kg.ttl"))
    trig = set(ox.parse(path=str(out / "kg.trig")))
    assert set(ox.parse(path=str(target), format=ox.RdfFormat.JSON_LD)) == trig  # graph by graph too
    again = tmp_path / "again.jsonld"
    kg("export", "--format", "jsonld", "-o", again, "--out", out)
    assert again.read_bytes() == target.read_bytes()


# -- 2. CSV plain values, TSV Turtle terms with bare numbers (SPARQL 1.1 CSV/TSV) -----------

ROW = {
    "n": Term("literal", "42", XSD + "integer"), "d": Term("literal", "1.5", XSD + "decimal"),
    "e": Term("literal", "1.0E3", XSD + "double"), "odd": Term("literal", "1.", XSD + "decimal"),
    "inf": Term("literal", "INF", XSD + "double"), "t": Term("literal", "true", XSD + "boolean"),
    "s": Term("literal", "a\tb"), "l": Term("literal", "chat", lang="fr"),
    "x": Term("uri", "https://schema.org/Person"), "b": Term("bnode", "b0"),
}
RESULT = ResultSet(variables=list(ROW), rows=[ROW])


def test_csv_gives_plain_values():
    lines = render(RESULT, "csv").split("\r\n")
    assert lines[0] == "n,d,e,odd,inf,t,s,l,x,b"
    assert lines[1] == "42,1.5,1.0E3,1.,INF,true,a\tb,chat,https://schema.org/Person,_:b0"


def test_tsv_gives_turtle_terms_with_bare_numbers():
    head, row = render(RESULT, "tsv").rstrip("\n").split("\n")
    assert head.split("\t")[0] == "?n"
    assert row.split("\t") == [
        "42", "1.5", "1.0E3", f'"1."^^<{XSD}decimal>', f'"INF"^^<{XSD}double>', f'"true"^^<{XSD}boolean>',
        '"a\\tb"', '"chat"@fr', "<https://schema.org/Person>", "_:b0"]


def test_query_csv_and_tsv_from_the_command_line(seed_build):
    out, _ = seed_build
    q = 'SELECT ?n ?s WHERE { BIND(7 AS ?n) BIND("x" AS ?s) }'
    assert kg("query", q, "--out", out, "--format", "csv").stdout.splitlines() == ["n,s", "7,x"]
    assert kg("query", q, "--out", out, "--format", "tsv").stdout == '?n\t?s\n7\t"x"\n'
    assert "bare" in kg("query", "--help").stdout


# -- 3. the table cuts long cells, says so once, and shows them whole on request -----------

LONG = ResultSet(variables=["h", "k"], rows=[{"h": Term("literal", "word " * 30), "k": Term("literal", "y" * 90)}])


def test_table_says_once_how_to_see_cut_cells():
    table = render(LONG, "table")
    assert table.count("\u2026") == 3  # two cells and the footer
    footer = table.rstrip("\n").splitlines()[-1]
    assert "--full" in footer and "--max-width" in footer and "80" in footer
    whole = render(LONG, "table", 0)
    assert "\u2026" not in whole and ("word " * 29 + "word") in whole and "y" * 90 in whole
    narrow = render(LONG, "table", 10).splitlines()
    assert narrow[2] == "word word\u2026  yyyyyyyyy\u2026"


def test_no_footer_when_nothing_is_cut():
    text = ResultSet(variables=["h"], rows=[{"h": Term("literal", "ends with an ellipsis\u2026")}])
    assert render(text, "table").rstrip("\n").splitlines()[-1] == "(1 row)"


def test_query_full_and_max_width_options(seed_build):
    out, _ = seed_build
    q = f'SELECT ?s WHERE {{ BIND("{"z" * 100}" AS ?s) }}'
    assert "z" * 100 in kg("query", q, "--out", out, "--full").stdout
    cut = kg("query", q, "--out", out, "--max-width", "20").stdout
    assert "z" * 19 + "\u2026" in cut and "z" * 20 not in cut and "--full" in cut
    assert kg("query", q, "--out", out, "--full", "--max-width", "5").returncode == 2


# -- 5. timelines ordered by the XSD date, unresolved values last --------------------------

VALUES = ["2005-01-18", "199", "1998", "FUTURE_REF", "2004-11", "18", "2004-11-30T10:00:00Z"]
BODY = "Ann met Bob in Oslo. " + " ".join(f"w{i} on {v}." for i, v in enumerate(VALUES))


def _at(text: str) -> Mention:
    i = BODY.index(text)
    return Mention(i, i + len(text), text)


def _timeline_store(path):
    from kg.store.embedded import Store

    rec = ArticleRecord(
        meta=ArticleMeta(id="t1", headline="Meeting", published="2020-01-08", content_hash="0" * 64),
        body=BODY, pipeline="p", pipeline_version="1",
        entities=[EntityRecord("e0", "PERSON", "Ann", "person:ann", [_at("Ann")]),
                  EntityRecord("e1", "PERSON", "Bob", "person:bob", [_at("Bob")]),
                  EntityRecord("e2", "PLACE", "Oslo", "place:oslo", [_at("Oslo")])],
        times=[TimeRecord(f"t{i}", "DATE", v, v, [_at(f"on {v}")]) for i, v in enumerate(VALUES)],
        events=[EventRecord(f"v{i}", "Consultation", "meet", "meet", [_at(f"w{i} ")],
                            roles=[Role("agent", "e0", "entity"), Role("patient", "e1", "entity")],
                            places=["e2"], times=[f"t{i}"]) for i in range(len(VALUES))])
    m = Minter()
    store = Store(path)
    store.replace_graph(m.graph("t1"), article_quads(rec, m, BuildInfo("p", "1")))
    return store


EXPECTED = ["1998", "2004-11", "2004-11-30T10:00:00Z", "2005-01-18", "18", "199", "FUTURE_REF"]


@pytest.mark.parametrize("name", ["timeline", "where-was-each-person", "who-met-whom"])
def test_example_queries_order_times_by_date(tmp_path, name):
    from kg.store.query import run_local

    with _timeline_store(tmp_path / "store") as store:
        result = run_local(store, (ROOT / "ontology" / "queries" / f"{name}.rq").read_text(encoding="utf-8"))
    whens = [r["when"].value for r in result.rows if "when" in r]
    assert list(dict.fromkeys(whens)) == EXPECTED


# -- 6. the README's command table lists every command ------------------------------------


def test_readme_command_table_lists_every_command():
    from kg.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `kg (\w+)", readme, re.M))
    assert set(cli.commands) <= listed, f"README's command table lacks {set(cli.commands) - listed}"


# -- 7. a build that finds no article says why and fails; plurals --------------------------


def test_build_of_a_folder_without_articles_says_why_and_fails(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for name in ("a.html", "b.html", "sub/c.pdf"):
        (src / name).write_text("<p>Angela Merkel visited Paris.</p>", encoding="utf-8")
    res = kg("build", src, "--out", tmp_path / "out", "--no-progress")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert f"no article to build under {src}" in res.stderr and ".txt, .md" in res.stderr
    assert "3 files (2 .html, 1 .pdf)" in res.stderr
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_build_names_the_files_it_passed_over_and_counts_in_the_singular(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Angela Merkel visited Paris on Monday.", encoding="utf-8")
    (src / "b.html").write_text("<p>x</p>", encoding="utf-8")
    res = kg("build", src, "--out", tmp_path / "out", "--no-progress")
    assert res.returncode == 0, res.stderr
    assert "passed over 1 file (1 .html)" in res.stderr
    assert "1 article to build" in res.stderr and "1 article without a creation time" in res.stderr


def test_summary_plurals():
    from kg.build.run import BuildReport

    assert "; 1 quad in the store" in BuildReport(built=1, triples=1).summary()
    assert "; 2 quads in the store" in BuildReport(built=2, triples=2).summary()


def test_a_long_one_line_query_is_a_query_not_a_file_name():
    """A query longer than a file name may be (255 bytes) on one line: read as the query,
    not a traceback for ENAMETOOLONG."""
    from kg.store.query import read_query

    query = "SELECT ?n WHERE { VALUES ?n { " + " ".join(map(str, range(200))) + " } }"
    assert len(query) > 255 and read_query(query) == query
