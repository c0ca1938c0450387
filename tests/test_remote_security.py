"""Hardening of the remote side: credentials never follow a redirect to another origin,
no SERVICE fetch unless allowed, kg serve refuses foreign Host / cross-site POST, is
read-only, honours FROM / FROM NAMED, dies whole and sees new builds. Real processes and
tiny http.servers on 127.0.0.1, started and stopped here."""
from __future__ import annotations

import base64
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryRefusedError
from kg.store.embedded import Store
from kg.store.query import run_local
from tests.tools import ROOT, Quiet, children, free_port, kg, kg_serve, listening_addresses, tiny_server, wait_http

pytestmark = pytest.mark.integration
SECRET = "redirect-s3cret-never-sent"
CREDS = {"KG_ENDPOINT_USER": "alice", "KG_ENDPOINT_PASSWORD": SECRET}
GRAPHS = ("urn:g1", "urn:g2", "urn:g3")
ASK_TRUE = '{"head": {}, "boolean": true}'


def recorder():
    """A server that records every request (path, headers) and answers like an endpoint."""
    seen: list[tuple[str, str, dict]] = []

    class Recorder(Quiet):
        def handle_any(self):
            self.body()
            seen.append((self.command, self.path, dict(self.headers)))
            self.reply(200, '{"head": {"vars": ["s"]}, "results": {"bindings": []}}', "application/sparql-results+json")

        do_GET = do_POST = do_PUT = handle_any

    return Recorder, seen


def redirector(target: str, code: int = 302):
    class Redirect(Quiet):
        def go(self):
            self.body()
            self.send_response(code)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_PUT = go

    return Redirect


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode != 0, proc
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("kg: error: "), proc.stderr
    return lines[-1]


@pytest.fixture()
def three_graphs(tmp_path) -> Path:
    """One triple, in three named graphs."""
    path = tmp_path / "store"
    with Store(path) as store:
        for g in GRAPHS:
            store.replace_graph(g, [ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o"),
                                            ox.NamedNode(g))])
    return path


def http(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def post_query(port: int, sparql: str, headers: dict | None = None, accept="application/sparql-results+json"):
    return http(f"http://127.0.0.1:{port}/query", urllib.parse.urlencode({"query": sparql}).encode(),
                {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept, **(headers or {})})


def count(port: int, sparql: str) -> int:
    code, body = post_query(port, sparql)
    assert code == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# -- 1. credentials and redirects -------------------------------------------------------------------

def test_redirect_to_another_origin_is_an_error_and_gets_no_credentials(tmp_path, three_graphs):
    handler, seen = recorder()
    with tiny_server(handler) as other, tiny_server(redirector(other)) as url:
        proc = kg("query", "ASK {}", "--endpoint", f"{url}/sparql", env=CREDS)
        line = one_line_error(proc)
        assert "another origin" in line and other in line and proc.returncode == 6
        push = kg("push", "--endpoint", f"{url}/query", "--store", str(three_graphs), env=CREDS)
        line = one_line_error(push)
        assert "another origin" in line and other in line
        assert SECRET not in proc.stderr + push.stderr
        assert seen == [], "a request reached the server redirected to"


def test_same_origin_redirect_is_followed_with_credentials():
    expected = "Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()

    class Moved(Quiet):
        def do_POST(self):
            body = self.body()
            if self.path == "/old":
                self.send_response(307)
                self.send_header("Location", "/sparql")
                self.send_header("Content-Length", "0")
                return self.end_headers()
            ok = self.headers.get("Authorization") == expected and b"query=ASK" in body
            self.reply(200 if ok else 401, ASK_TRUE if ok else "no", "application/sparql-results+json")

    with tiny_server(Moved) as url:
        proc = kg("query", "ASK {}", "--endpoint", f"{url}/old", env=CREDS)
        assert proc.returncode == 0 and proc.stdout == "true\n", proc.stderr


# -- 2. SERVICE ------------------------------------------------------------------------------------

def test_kg_query_refuses_service_and_fetches_nothing(three_graphs):
    handler, seen = recorder()
    with tiny_server(handler) as remote:
        q = f"SELECT * WHERE {{ SERVICE <{remote}/sparql> {{ ?s ?p ?o }} }}"
        for extra in ([], ["--timeout", "30"]):
            line = one_line_error(kg("query", q, "--store", str(three_graphs), *extra))
            assert "federated queries are off" in line and "--allow-service 127.0.0.1" in line
        nested = f"PREFIX r: <{remote}/> ASK {{ FILTER EXISTS {{ SERVICE SILENT r:sparql {{ ?a ?b ?c }} }} }}"
        with Store(three_graphs, read_only=True) as store:
            for sparql in (nested, "SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }"):
                with pytest.raises(QueryRefusedError):
                    run_local(store, sparql)
            # the word in a comment or a string is not a SERVICE call
            text = f'# SERVICE <{remote}/sparql> {{ }}\nSELECT ?s WHERE {{ ?s ?p "SERVICE <{remote}/x> {{}}" }}'
            assert run_local(store, text).rows == []
        assert seen == []
        allowed = kg("query", q, "--store", str(three_graphs), "--allow-service", "127.0.0.1")
        assert allowed.returncode == 0, allowed.stderr
        assert len(seen) == 1  # let through only when the host is listed
        other = kg("query", q, "--store", str(three_graphs), "--allow-service", "example.org")
        assert "federated queries are off" in one_line_error(other) and len(seen) == 1


def test_serve_refuses_service_foreign_host_and_cross_site_post(three_graphs):
    handler, seen = recorder()
    with tiny_server(handler) as remote, kg_serve(three_graphs) as (port, _):
        q = f"SELECT * WHERE {{ SERVICE <{remote}/sparql> {{ ?s ?p ?o }} }}"
        code, body = post_query(port, q)
        assert code == 403 and "federated queries are off" in body
        code, body = http(f"http://127.0.0.1:{port}/query?" + urllib.parse.urlencode({"query": q}))
        assert code == 403
        assert seen == []
        # DNS rebinding: a page on another name reaching 127.0.0.1
        assert http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", headers={"Host": "evil.example"})[0] == 403
        assert post_query(port, "ASK {}", {"Host": f"evil.example:{port}"})[0] == 403
        assert post_query(port, "ASK {}", {"Host": f"localhost:{port}"})[0] == 200
        # cross-site POST refused; same origin and no Origin accepted
        assert post_query(port, "ASK {}", {"Origin": "http://evil.example"})[0] == 403
        assert post_query(port, "ASK {}", {"Origin": f"http://127.0.0.1:{port}"}) == (200, '{"head":{},"boolean":true}')
        assert post_query(port, "ASK {}")[0] == 200


def test_serve_allows_service_to_listed_hosts_only(three_graphs):
    handler, seen = recorder()
    with tiny_server(handler) as remote, kg_serve(three_graphs, "--allow-service", "127.0.0.1") as (port, _):
        code, body = post_query(port, f"SELECT * WHERE {{ SERVICE <{remote}/sparql> {{ ?s ?p ?o }} }}")
        assert code == 200 and len(seen) == 1, body
        assert post_query(port, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")[0] == 403


def test_serve_host_is_an_ip_address(three_graphs):
    proc = kg("serve", "--store", str(three_graphs), "--host", "localhost", "--port", str(free_port()), timeout=60)
    assert "takes an IP address" in one_line_error(proc)


# -- 3. no --writable ------------------------------------------------------------------------------

def test_serve_has_no_writable_option_and_refuses_updates(three_graphs):
    proc = kg("serve", "--store", str(three_graphs), "--writable", "--port", str(free_port()), timeout=60)
    assert proc.returncode == 2 and "No such option '--writable'" in proc.stderr
    with kg_serve(three_graphs) as (port, _):
        update = urllib.parse.urlencode({"update": "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"})
        code, _ = http(f"http://127.0.0.1:{port}/update", update.encode(),
                       {"Content-Type": "application/x-www-form-urlencoded"})
        assert code == 403
        code, _ = http(f"http://127.0.0.1:{port}/query", update.encode(),
                       {"Content-Type": "application/x-www-form-urlencoded"})
        assert code == 400  # an update is no query
    with Store(three_graphs, read_only=True) as store:
        assert store.graphs() == list(GRAPHS)


# -- 4. FROM / FROM NAMED --------------------------------------------------------------------------

DATASET_CASES = [
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", 1),  # the default graph: the union, each triple once
    ("SELECT (COUNT(*) AS ?n) FROM <urn:nothing> WHERE { ?s ?p ?o }", 0),
    ("PREFIX u: <urn:> SELECT (COUNT(*) AS ?n) FROM u:g1 WHERE { ?s ?p ?o }", 1),
    ("SELECT (COUNT(*) AS ?n) FROM NAMED <urn:g2> WHERE { ?s ?p ?o }", 0),  # empty default graph
    ("SELECT (COUNT(*) AS ?n) FROM NAMED <urn:g2> WHERE { GRAPH ?g { ?s ?p ?o } }", 1),
    ("SELECT (COUNT(*) AS ?n) FROM <urn:g1> WHERE { GRAPH ?g { ?s ?p ?o } }", 0),  # no named graph
    ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", 3),
]


def test_from_and_from_named_restrict_the_dataset(three_graphs):
    with Store(three_graphs, read_only=True) as store:
        for sparql, n in DATASET_CASES:
            assert int(run_local(store, sparql).rows[0]["n"].value) == n, sparql
    q = DATASET_CASES[1][0]
    assert kg("query", q, "--store", str(three_graphs), "--format", "csv").stdout.split() == ["n", "0"]
    assert kg("query", q, "--store", str(three_graphs), "--format", "csv", "--timeout", "30").stdout.split() == ["n", "0"]
    with kg_serve(three_graphs) as (port, _):
        for sparql, n in DATASET_CASES:
            assert count(port, sparql) == n, sparql
        # the protocol's dataset overrides the query's (SPARQL 1.1 Protocol 2.1.4)
        url = f"http://127.0.0.1:{port}/query?default-graph-uri=urn%3Ag1&default-graph-uri=urn%3Ag2&query="
        code, body = http(url + urllib.parse.quote(q), headers={"Accept": "application/sparql-results+json"})
        assert code == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "2"
        via_cli = kg("query", q, "--endpoint", f"http://127.0.0.1:{port}/query", "--format", "csv")
        assert via_cli.stdout.split() == ["n", "0"]


# -- 5. nothing survives a SIGKILL -----------------------------------------------------------------

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(20)) + " }"


def _kill_all(proc: subprocess.Popen, descendants: set[int]) -> None:
    """What a test started and what it left, whatever the assertions said."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    for c in descendants:
        if _alive(c):
            subprocess.run(["kill", "-9", str(c)], check=False)


def _alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return False


def _ignore_errors(f, *args):
    try:
        f(*args)
    except OSError:
        pass  # the server is killed mid-query: that is the test


@pytest.mark.parametrize("extra", [[], ["--timeout", "120"]])
def test_sigkill_of_serve_leaves_no_process_behind(three_graphs, extra):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(three_graphs), "--port", str(port),
                             *extra], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    descendants: set[int] = set()
    try:
        wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc=proc)
        # a query that runs for ever (in its own process with --timeout)
        threading.Thread(target=_ignore_errors, args=(post_query, port, SLOW), daemon=True).start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            descendants |= set(children(proc.pid))
            if descendants or not extra:
                time.sleep(0.5)
                descendants |= set(children(proc.pid))
                break
            time.sleep(0.1)
        assert descendants or not extra, "no query process seen"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        # A query process killed while still starting up (a loaded machine) leaves once it
        # runs its first line (die_with_parent); give it time, it must still go by itself.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (any(_alive(c) for c in descendants) or listening_addresses(port)):
            time.sleep(0.1)
        left = [c for c in descendants if _alive(c)]
        assert not left, f"processes left running after SIGKILL of kg serve: {left}"
        assert not listening_addresses(port)
    finally:
        _kill_all(proc, descendants)



def test_sigkill_of_kg_query_with_a_timeout_leaves_no_query_running(three_graphs):
    """``kg query --timeout`` runs the query in a child process; killed with SIGKILL (no
    ``finally`` runs), its child must go too, not run the query on for ever."""
    values = " ".join(map(str, range(100)))
    endless = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ {values} }}" for i in range(6)) + " }"
    proc = subprocess.Popen([sys.executable, "-m", "kg", "query", endless, "--store", str(three_graphs),
                             "--timeout", "600"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    descendants: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not descendants:
            descendants |= set(children(proc.pid))
            time.sleep(0.1)
        assert descendants, "no query process seen"
        time.sleep(1.0)  # past its first line (spawn start-up), running the query
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(c) for c in descendants):
            time.sleep(0.1)
        left = [c for c in descendants if _alive(c)]
        assert not left, f"processes left running after SIGKILL of kg query: {left}"
    finally:
        _kill_all(proc, descendants)

# -- 6. a new build is seen ------------------------------------------------------------------------

def test_serve_sees_a_new_build(three_graphs):
    with kg_serve(three_graphs) as (port, _):
        q = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert count(port, q) == 3
        with Store(three_graphs) as store:  # a build writing while kg serve runs
            store.replace_graph("urn:g4", [ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"),
                                                   ox.NamedNode("urn:o"), ox.NamedNode("urn:g4"))])
            store.drop_graph("urn:g1")
        in_graph = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }}"
        assert count(port, in_graph.format("urn:g4")) == 1
        assert count(port, in_graph.format("urn:g1")) == 0
