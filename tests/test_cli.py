"""The kg command as a user runs it: build, query, export, errors without tracebacks."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare

from .conftest import ROOT, SEEDS

QUERIES = sorted((ROOT / "ontology" / "queries").glob("*.rq"))


def kg(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


def test_exports_parse_in_rdflib_and_pyoxigraph(seed_build):
    out, _ = seed_build
    ttl = rdflib.Graph().parse(out / "kg.ttl")
    ds = rdflib.Dataset()
    ds.parse(out / "kg.trig", format="trig")
    assert len(ttl) > 300
    assert len(list(ox.parse(path=str(out / "kg.ttl")))) == len(ttl)
    assert sum(1 for _ in ox.parse(path=str(out / "kg.trig"))) > len(ttl) * 0.9
    union = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert rdflib.compare.isomorphic(union, ttl)  # the Turtle export is the union of the graphs


@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_every_example_query_answers_on_the_seed(seed_build, query):
    out, _ = seed_build
    res = kg("query", query, "--out", out, "--format", "json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["results"]["bindings"], f"{query.name} gave no rows"


def test_example_queries_exist():
    names = {q.stem for q in QUERIES}
    assert {"people-in-articles", "events", "timeline", "who-met-whom", "where-was-each-person"} <= names


def test_query_formats(seed_build):
    out, _ = seed_build
    q = "SELECT ?id WHERE { ?a <https://schema.org/identifier> ?id ; a <https://schema.org/NewsArticle> }"
    table = kg("query", q, "--out", out)
    assert table.returncode == 0 and "000_6ce42e271251dfbb" in table.stdout and "(1 row)" in table.stdout
    assert kg("query", q, "--out", out, "--format", "csv").stdout.splitlines() == ["id", "000_6ce42e271251dfbb"]
    assert kg("query", q, "--out", out, "--format", "tsv").stdout == '?id\n"000_6ce42e271251dfbb"\n'


def test_sparql_syntax_error_has_line_and_column(seed_build):
    out, _ = seed_build
    res = kg("query", "SELECT ?x WHERE {\n  ?x ?y }", "--out", out)
    assert res.returncode != 0
    assert "Traceback" not in res.stderr
    assert "2:" in res.stderr and "syntax error" in res.stderr.lower()
    assert len(res.stderr.strip().splitlines()) == 1


def test_missing_input_path(tmp_path):
    res = kg("build", tmp_path / "nope", "--out", tmp_path / "out")
    assert res.returncode != 0 and "no such file" in res.stderr and "Traceback" not in res.stderr


def test_missing_pipeline_names_the_package(tmp_path):
    res = kg("build", SEEDS, "--out", tmp_path / "out", "--pipeline", "en_core_web_trf")
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert "pip install en-core-web-trf" in res.stderr


def test_query_without_a_store(tmp_path):
    res = kg("query", "ASK {}", "--out", tmp_path)
    assert res.returncode != 0 and "kg build" in res.stderr and "Traceback" not in res.stderr


def test_bad_files_are_skipped_and_reported_the_rest_builds(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("Angela Merkel visited Paris on Monday.", encoding="utf-8")
    (src / "bad.txt").write_bytes(b"\xff\xfe broken")
    res = kg("build", src, "--out", tmp_path / "out", "--no-progress")
    assert res.returncode == 1
    assert "bad.txt" in res.stderr and "not UTF-8" in res.stderr
    assert "1 built" in res.stderr
    assert (tmp_path / "out" / "kg.ttl").read_text(encoding="utf-8").count("Merkel") >= 1


def test_rebuild_is_byte_identical_and_incremental(tmp_path):
    out = tmp_path / "out"
    first = kg("build", SEEDS, "--out", out, "--no-progress")
    assert first.returncode == 0, first.stderr
    ttl, trig = (out / "kg.ttl").read_bytes(), (out / "kg.trig").read_bytes()
    again = kg("build", SEEDS, "--out", out, "--no-progress")
    assert "0 built, 1 unchanged" in again.stderr
    assert (out / "kg.ttl").read_bytes() == ttl and (out / "kg.trig").read_bytes() == trig
    fresh = tmp_path / "fresh"
    kg("build", SEEDS, "--out", fresh, "--no-progress")
    assert (fresh / "kg.ttl").read_bytes() == ttl


def test_committed_exports_are_the_build_of_the_seed(seed_build):
    out, _ = seed_build
    for name in ("kg.ttl", "kg.trig"):
        assert (ROOT / "exports" / name).read_bytes() == (out / name).read_bytes(), \
            f"exports/{name} is stale: run `make build` and commit it"


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "ntriples", "jsonld"])
def test_export_formats_parse(seed_build, tmp_path, fmt):
    out, _ = seed_build
    target = tmp_path / f"x.{fmt}"
    res = kg("export", "--format", fmt, "-o", target, "--out", out)
    assert res.returncode == 0, res.stderr
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
                  "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    assert sum(1 for _ in ox.parse(path=str(target), format=rdf_format)) > 300


def test_help_has_examples():
    for cmd in ("build", "query", "export", "remove", "link", "validate", "serve", "push"):
        res = kg(cmd, "--help")
        assert res.returncode == 0 and "Example:" in res.stdout
