"""kg query --endpoint and kg push against a real Oxigraph server (PyPI ``oxigraph``) on
127.0.0.1, and the error paths against tiny misbehaving servers. No mocks."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

from kg.remote.push import ONTOLOGY_GRAPH, Target, default_ontology, push, temp_graph
from kg.remote.client import run_remote
from kg.store.embedded import Store
from tests.tools import (QUERIES, ROOT, SECRET, Fails500, NeedsBasicAuth, Sleeps, free_port, kg, local_counts, local_graph,
                         local_result, make_blank_node_store, one_line_error, oxigraph_server, proxy_handler,
                         remote_graph, remote_graphs, tiny_server)

pytestmark = pytest.mark.integration


# -- a corpus of several articles (for interrupted pushes) -----------------------------------

SENTENCES = ["Angela Merkel met Emmanuel Macron in Paris on Monday.",
             "The European Commission fined Google 2 billion euros in Brussels.",
             "Vladimir Putin said Russia would not attend the summit in Geneva.",
             "Joe Biden visited Kyiv on 20 February 2023 and met Volodymyr Zelensky.",
             "Microsoft agreed to buy Activision Blizzard for 69 billion dollars.",
             "Protesters marched in Santiago against the government of Chile."]


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    from kg.build import BuildOptions, build

    src = tmp_path_factory.mktemp("corpus")
    with open(src / "news.jsonl", "w") as f:
        for i in range(12):
            text = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(3))
            f.write(json.dumps({"id": f"a{i:02d}", "title": f"Story {i}", "published": "2024-03-01",
                                "text": text}) + "\n")
    out = tmp_path_factory.mktemp("corpus-build")
    report = build([src], BuildOptions(out_dir=out, progress=False))
    assert report.built == 12 and not report.failed
    return out


# -- Oxigraph: push, query, idempotence ----------------------------------------------------------

def test_oxigraph_push_then_every_query_gives_the_local_rows(seed_build, tmp_path):
    out, _ = seed_build
    with oxigraph_server(tmp_path / "db") as base:
        t0 = time.monotonic()
        first = kg("push", "--endpoint", f"{base}/query", "--out", str(out))
        took = time.monotonic() - t0
        assert first.returncode == 0, first.stderr
        assert "pushed 2 graphs by graph store protocol" in first.stderr
        print(f"seed push to oxigraph: {took:.2f}s (process included)")
        for q in QUERIES:
            local = local_result(out / "store", q)
            assert local.rows, q.name
            assert run_remote(f"{base}/query", q.read_text()).comparable() == local.comparable(), q.name
            for fmt in ("csv", "tsv", "json", "table"):
                via_cli = kg("query", str(q), "--endpoint", f"{base}/query", "--format", fmt)
                here = kg("query", str(q), "--out", str(out), "--format", fmt)
                assert via_cli.returncode == 0, via_cli.stderr
                if fmt in ("tsv", "csv"):
                    assert sorted(via_cli.stdout.splitlines()) == sorted(here.stdout.splitlines()), (q.name, fmt)
                else:
                    assert via_cli.stdout.count("\n") == here.stdout.count("\n"), (q.name, fmt)
        # ASK, CONSTRUCT, DESCRIBE through the CLI
        ask = kg("query", "ASK { ?s a <https://schema.org/NewsArticle> }", "--endpoint", f"{base}/query")
        assert ask.stdout == "true\n"
        con = "CONSTRUCT { ?a <https://schema.org/headline> ?h } WHERE { ?a <https://schema.org/headline> ?h }"
        assert (kg("query", con, "--endpoint", f"{base}/query").stdout == kg("query", con, "--out", str(out)).stdout
                != "")
        desc = kg("query", "DESCRIBE <https://kg.example.org/id/article/000_6ce42e271251dfbb>", "--endpoint",
                  f"{base}/query")
        assert desc.returncode == 0 and "schema.org/headline" in desc.stdout
        # the ontology is in its own graph, the article graph is exactly the local one
        graphs = remote_graphs(f"{base}/query")
        assert set(graphs) == set(local_counts(out / "store")) | {ONTOLOGY_GRAPH}
        for g, n in local_counts(out / "store").items():
            assert graphs[g] == n
        # re-push: nothing sent, nothing changed
        before = run_remote(f"{base}/query", "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }").graph
        again = kg("push", "--endpoint", f"{base}/query", "--out", str(out))
        assert again.returncode == 0 and "pushed 0 graphs, 2 already complete" in again.stderr
        assert run_remote(f"{base}/query", "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }").graph == before


def test_push_killed_halfway_then_rerun_completes(corpus_build, tmp_path):
    """SIGKILL the push after a few graphs (writes slowed by a proxy so it can be caught
    in the middle): every graph on the server is whole, and a re-run finishes the job."""
    out = corpus_build
    local = local_counts(out / "store")
    with oxigraph_server(tmp_path / "db") as base, tiny_server(proxy_handler(base, delay=0.3)) as slow:
        proc = subprocess.Popen([sys.executable, "-m", "kg", "push", "--endpoint", f"{slow}/query", "--out", str(out)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 120
            while len(remote_graphs(f"{base}/query")) < 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            proc.send_signal(signal.SIGKILL)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.communicate()
        time.sleep(1)  # a write already in the proxy still reaches the store: let it land
        partial = remote_graphs(f"{base}/query")
        assert 4 <= len(partial) < len(local) + 1, partial
        for g, n in partial.items():  # no half-written graph
            assert n == (local[g] if g in local else len(set(_ontology_triples()))), g
        rerun = kg("push", "--endpoint", f"{base}/query", "--out", str(out))
        assert rerun.returncode == 0, rerun.stderr
        assert f"{len(partial)} already complete" in rerun.stderr
        final = remote_graphs(f"{base}/query")
        assert {g: final[g] for g in local} == local and ONTOLOGY_GRAPH in final
        for g in list(local)[:3]:
            assert isomorphic(remote_graph(f"{base}/query", g), local_graph(out / "store", g))
        assert "pushed 0 graphs" in kg("push", "--endpoint", f"{base}/query", "--out", str(out)).stderr


def _ontology_triples():
    return [q.triple for f in default_ontology() for q in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)]


def test_push_stopped_by_the_server_names_the_graphs_not_written_then_rerun(corpus_build, tmp_path):
    """The store "stops" (503 on every write after 3) during a SPARQL Update push: a
    one-line error naming the graphs not written, no half graph, and a re-run finishes."""
    out = corpus_build
    local = local_counts(out / "store")
    with oxigraph_server(tmp_path / "db") as base, tiny_server(proxy_handler(base, fail_after=3)) as flaky:
        failed = kg("push", "--endpoint", f"{flaky}/query", "--no-gsp", "--batch-triples", "300", "--out", str(out))
        line = one_line_error(failed)
        assert "HTTP 503" in line and "store stopped for maintenance" in line and "not written" in line
        partial = remote_graphs(f"{base}/query")
        assert not any(g.startswith("urn:x-kg:push:") for g in partial), "temporary graph left behind"
        for g, n in partial.items():
            assert n == local.get(g, n)
        missing = sorted((set(local) | {ONTOLOGY_GRAPH}) - set(partial))
        assert missing and missing[0] in line
        rerun = kg("push", "--endpoint", f"{base}/query", "--no-gsp", "--out", str(out))
        assert rerun.returncode == 0, rerun.stderr
        final = remote_graphs(f"{base}/query")
        assert {g: final[g] for g in local} == local


@pytest.mark.parametrize("method", ["gsp", "update"])
def test_blank_nodes_survive_a_push_to_oxigraph(tmp_path, method):
    g1, g2 = make_blank_node_store(tmp_path / "store")
    with oxigraph_server(tmp_path / "db") as base:
        target = Target.from_endpoint(f"{base}/query", use_gsp=method == "gsp")
        with Store(tmp_path / "store", read_only=True) as store:
            report = push(store, target, [], batch_triples=3)
            assert report.written == [g1, g2]
            assert push(store, target, []).written == []
        for g in (g1, g2):
            assert isomorphic(remote_graph(f"{base}/query", g), local_graph(tmp_path / "store", g)), g
        assert not [g for g in remote_graphs(f"{base}/query") if g.startswith("urn:x-kg:push:")]


def test_graph_iris_are_validated_before_they_reach_sparql():
    from kg.errors import KgError
    from kg.remote.push import iri_term

    assert iri_term("https://kg.example.org/id/graph/a") == "<https://kg.example.org/id/graph/a>"
    for bad in ["https://x/> } ; DROP ALL ; INSERT DATA { <a", "not an iri", "https://x/a b"]:
        with pytest.raises(KgError):
            iri_term(bad)
    assert temp_graph("https://x/> DROP ALL").startswith("urn:x-kg:push:")


# -- error paths ---------------------------------------------------------------------------------

def test_server_500_is_one_line_with_the_servers_message(seed_build):
    out, _ = seed_build
    with tiny_server(Fails500) as url:
        proc = kg("query", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", f"{url}/sparql")
        line = one_line_error(proc)
        assert "HTTP 500" in line and Fails500.MESSAGE in line and "<p>" not in line
        push_proc = kg("push", "--endpoint", f"{url}/sparql", "--out", str(out))
        assert "HTTP 500" in one_line_error(push_proc)


def test_unreachable_endpoint():
    port = free_port()  # nothing listens there
    proc = kg("query", "ASK {}", "--endpoint", f"http://127.0.0.1:{port}/sparql", "--timeout", "5")
    line = one_line_error(proc)
    assert "cannot reach the endpoint" in line and proc.returncode == 6


def test_query_timeout_on_a_server_that_sleeps():
    with tiny_server(Sleeps) as url:
        t0 = time.monotonic()
        proc = kg("query", "ASK {}", "--endpoint", f"{url}/sparql", "--timeout", "1")
        assert time.monotonic() - t0 < 7
        assert "timed out" in one_line_error(proc) and proc.returncode == 7


def test_wrong_credentials_never_show_the_password(seed_build):
    out, _ = seed_build
    with tiny_server(NeedsBasicAuth) as url:
        env = {"KG_ENDPOINT_USER": "alice", "KG_ENDPOINT_PASSWORD": SECRET}
        proc = kg("query", "ASK {}", "--endpoint", f"{url}/sparql", env=env)
        line = one_line_error(proc)
        assert "401" in line and SECRET not in proc.stdout + proc.stderr
        # a password in the URL's userinfo is used but never echoed
        proc = kg("query", "ASK {}", "--endpoint", f"http://alice:{SECRET}@{url[len('http://'):]}/sparql")
        assert "401" in one_line_error(proc) and SECRET not in proc.stdout + proc.stderr
        proc = kg("push", "--endpoint", f"http://alice:{SECRET}@{url[len('http://'):]}/sparql", "--out", str(out))
        assert "401" in one_line_error(proc) and SECRET not in proc.stdout + proc.stderr
        # the right credentials from the environment work
        ok = kg("query", "ASK {}", "--endpoint", f"{url}/sparql",
                env={"KG_ENDPOINT_USER": "alice", "KG_ENDPOINT_PASSWORD": NeedsBasicAuth.PASSWORD})
        assert ok.returncode == 0 and ok.stdout == "true\n"


def test_local_query_timeout_stops_a_runaway_query(seed_build):
    out, _ = seed_build
    t0 = time.monotonic()
    slow = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
              "--out", str(out), "--timeout", "2")
    assert time.monotonic() - t0 < 30
    assert "did not finish in 2s" in one_line_error(slow) and slow.returncode == 7
    fast = kg("query", str(QUERIES[0]), "--out", str(out), "--timeout", "60", "--format", "csv")
    assert fast.returncode == 0 and fast.stdout == kg("query", str(QUERIES[0]), "--out", str(out),
                                                      "--format", "csv").stdout


def test_password_prompt_reads_the_password_without_showing_it():
    with tiny_server(NeedsBasicAuth) as url:
        for args in (["--user", "alice", "--password-prompt"], ["--user", "alice"]):  # no env password: asked
            proc = subprocess.run([sys.executable, "-m", "kg", "query", "ASK {}", "--endpoint", f"{url}/sparql",
                                   *args], input=NeedsBasicAuth.PASSWORD + "\n", capture_output=True, text=True,
                                  cwd=ROOT, timeout=60, env={k: v for k, v in __import__("os").environ.items()
                                                             if not k.startswith("KG_ENDPOINT_")})
            assert proc.returncode == 0 and proc.stdout == "true\n", proc.stderr
            assert NeedsBasicAuth.PASSWORD not in proc.stdout + proc.stderr
