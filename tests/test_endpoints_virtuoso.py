"""Push and query round trip against a real Virtuoso 7 (Debian virtuoso-opensource-7-bin),
started by the test with its own virtuoso.ini and database in a tmp folder on free ports.

What works on Virtuoso 7.2 (found by trying): queries at /sparql (form-encoded POST: it
hangs on a direct ``application/sparql-query`` POST); writes through the Graph Store
Protocol at /sparql-graph-crud-auth or SPARQL Update at /sparql-auth, both with digest
auth (dba/dba on a fresh database). It refuses blank nodes in INSERT DATA ("not allowed
in a constant clause"), returns booleans as 1 / 0 and an empty GROUP_CONCAT as "" where
Oxigraph leaves it unbound.
"""
from __future__ import annotations

import urllib.parse
import urllib.request

import pytest
from rdflib.compare import isomorphic

from kg.remote.push import ONTOLOGY_GRAPH
from kg.remote.client import run_remote
from tests.tools import (QUERIES, SECRET, kg, local_counts, local_graph, local_result, make_blank_node_store,
                         one_line_error, remote_graph, virtuoso_server)

pytestmark = pytest.mark.integration
DBA = {"KG_ENDPOINT_USER": "dba", "KG_ENDPOINT_PASSWORD": "dba"}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as base:
        yield base


def rows(result) -> set[tuple]:
    """Rows as a set, an empty string the same as unbound (Virtuoso's empty GROUP_CONCAT),
    GROUP_CONCAT parts in sorted order (their order is undefined in SPARQL and differs)."""
    def norm(t: str) -> str:
        if t == '""':
            return ""
        if t.startswith('"') and t.endswith('"') and "; " in t:
            return '"' + "; ".join(sorted(t[1:-1].split("; "))) + '"'
        return t

    return {tuple(norm(t) for t in row) for row in result.comparable()}


def graph_counts(base: str) -> dict[str, int]:
    res = run_remote(f"{base}/sparql", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"].value: int(r["n"].value) for r in res.rows}


def test_virtuoso_push_by_graph_store_protocol_then_every_query_matches(seed_build, virtuoso):
    out, _ = seed_build
    push = ["push", "--endpoint", f"{virtuoso}/sparql", "--gsp-endpoint", f"{virtuoso}/sparql-graph-crud-auth",
            "--auth", "digest", "--out", str(out)]
    first = kg(*push, env=DBA)
    assert first.returncode == 0, first.stderr
    assert "pushed 2 graphs by graph store protocol" in first.stderr
    counts = graph_counts(virtuoso)
    for g, n in local_counts(out / "store").items():
        assert counts[g] == n
    assert ONTOLOGY_GRAPH in counts
    for q in QUERIES:
        local = local_result(out / "store", q)
        remote = run_remote(f"{virtuoso}/sparql", q.read_text())
        assert remote.variables == local.variables
        assert rows(remote) == rows(local), q.name
        cli = kg("query", str(q), "--endpoint", f"{virtuoso}/sparql", "--format", "json")
        assert cli.returncode == 0, cli.stderr
    again = kg(*push, env=DBA)
    assert again.returncode == 0 and "pushed 0 graphs, 2 already complete" in again.stderr
    assert graph_counts(virtuoso) == counts


@pytest.mark.parametrize("method", ["gsp", "update"])
def test_blank_nodes_survive_a_push_to_virtuoso(tmp_path, virtuoso, method):
    g1, g2 = make_blank_node_store(tmp_path / "store", f"bnodes-{method}")
    how = (["--gsp-endpoint", f"{virtuoso}/sparql-graph-crud-auth"] if method == "gsp"
           else ["--update-endpoint", f"{virtuoso}/sparql-auth", "--no-gsp", "--batch-triples", "4"])
    args = ["push", "--endpoint", f"{virtuoso}/sparql", *how, "--auth", "digest", "--no-ontology",
            "--store", str(tmp_path / "store")]
    proc = kg(*args, env=DBA)
    assert proc.returncode == 0, proc.stderr
    for g in (g1, g2):
        assert isomorphic(remote_graph(f"{virtuoso}/sparql", g), local_graph(tmp_path / "store", g)), (method, g)
    assert "pushed 0 graphs" in kg(*args, env=DBA).stderr
    assert not [g for g in graph_counts(virtuoso) if g.startswith("urn:x-kg:push:")]


def test_virtuoso_wrong_password_is_one_line_without_the_password(tmp_path, virtuoso):
    wrong = {"KG_ENDPOINT_USER": "dba", "KG_ENDPOINT_PASSWORD": SECRET}
    make_blank_node_store(tmp_path / "store", "never-written")
    for how in (["--update-endpoint", f"{virtuoso}/sparql-auth", "--no-gsp"],
                ["--gsp-endpoint", f"{virtuoso}/sparql-graph-crud-auth"]):
        proc = kg("push", "--endpoint", f"{virtuoso}/sparql", *how, "--auth", "digest", "--no-ontology",
                  "--store", str(tmp_path / "store"), env=wrong)
        line = one_line_error(proc)
        assert "401" in line and "not written" in line and SECRET not in proc.stdout + proc.stderr
    proc = kg("query", "ASK { ?s ?p ?o }", "--endpoint", f"{virtuoso}/sparql-auth", "--auth", "digest", env=wrong)
    assert "401" in one_line_error(proc) and SECRET not in proc.stdout + proc.stderr


def test_virtuoso_push_by_sparql_update_then_every_query_matches(seed_build, virtuoso):
    """The SPARQL Update fallback (temporary graph, chunks, MOVE) on Virtuoso, with the
    seed's xsd:duration literal that Virtuoso's SPARQL compiler refuses as a constant."""
    out, _ = seed_build
    graphs = [*local_counts(out / "store"), ONTOLOGY_GRAPH]
    drop = " ; ".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
    mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    mgr.add_password(None, virtuoso, "dba", "dba")
    opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(mgr))
    opener.open(f"{virtuoso}/sparql-auth", urllib.parse.urlencode({"update": drop}).encode(), timeout=60).read()
    assert not set(graphs) & set(graph_counts(virtuoso))
    push = ["push", "--endpoint", f"{virtuoso}/sparql", "--update-endpoint", f"{virtuoso}/sparql-auth", "--no-gsp",
            "--auth", "digest", "--batch-triples", "500", "--out", str(out)]
    first = kg(*push, env=DBA)
    assert first.returncode == 0 and "by SPARQL update" in first.stderr, first.stderr
    counts = graph_counts(virtuoso)
    for g, n in local_counts(out / "store").items():
        assert counts[g] == n
    assert not [g for g in counts if g.startswith("urn:x-kg:push:")]
    for q in QUERIES:
        assert rows(run_remote(f"{virtuoso}/sparql", q.read_text())) == rows(local_result(out / "store", q)), q.name
    assert "pushed 0 graphs, 2 already complete" in kg(*push, env=DBA).stderr
