"""What tests share: external tools, servers and data, in one module.

- Debian packages installed on demand (``debian_tool``): CI runs on a fresh machine of
  the project's kind (Debian, root, Debian's registry reachable); a test that needs
  rapper, riot or Virtuoso installs the package itself the first time. A machine where
  that is impossible fails the test loudly instead of skipping it, so CI never passes
  without having run it.
- Real servers for the endpoint tests, started on 127.0.0.1 and stopped by whoever
  started them: the PyPI ``oxigraph`` server, Virtuoso, and tiny ``http.server``s that
  misbehave on purpose (500s, sleeps, auth); free ports.
- The ``kg`` command as a user runs it, and the corpora and comparisons several test
  modules use.
"""
from __future__ import annotations

import base64
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import rdflib

from kg.rdf.iris import KIND_SEGMENTS, Minter
from kg.remote.client import run_remote
from kg.store.embedded import Store
from kg.store.query import run_local
from kg.records import (ArticleMeta, ArticleRecord, EntityRecord, EventRecord, Mention, QuoteRecord, Role,
                        TimeRecord)
from tests.conftest import ROOT, SEEDS

_APT_LOCK = threading.Lock()
_UPDATED = False


def debian_tool(provides: str | Path, package: str) -> str:
    """Path of what Debian ``package`` provides, installing the package first if it is
    missing: ``provides`` is a binary on PATH ("rapper") or a file the package ships
    (a jar without a binary)."""
    global _UPDATED

    def found() -> str | None:
        if isinstance(provides, Path):
            return str(provides) if provides.exists() else None
        return shutil.which(provides)

    if (path := found()):
        return path
    with _APT_LOCK:
        if (path := found()):
            return path
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        if not _UPDATED:
            subprocess.run([*sudo, "apt-get", "-o", "DPkg::Lock::Timeout=300", "update", "-qq"], check=True, env=env,
                           stdout=subprocess.DEVNULL)
            _UPDATED = True
        subprocess.run([*sudo, "apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", "--no-install-recommends", package],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    if not (path := found()):
        raise RuntimeError(f"{package} installed but {provides} is not there")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


OXIGRAPH = str(Path(sys.executable).parent / "oxigraph")


def kg(*args: str, env: dict | None = None, timeout: float = 300, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real ``kg`` command, as a user runs it."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KG_ENDPOINT_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=full_env,
                          timeout=timeout, cwd=cwd)


def wait_http(url: str, timeout: float = 60, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} after {timeout}s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def oxigraph_server(db: Path):
    """``oxigraph serve`` (read-write) over ``db``; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(db), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/query?query=ASK%7B%7D", proc=proc)
        yield base
    finally:
        stop(proc)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {d}
ServerThreads = 10

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
MaxClientConnections = 5
ServerThreads = 5

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


@contextmanager
def virtuoso_server(folder: Path):
    """Virtuoso 7 (Debian ``virtuoso-opensource-7-bin``) with its own ini and database in
    ``folder``, SQL and HTTP on free 127.0.0.1 ports; yields its base URL (user dba/dba)."""
    binary = debian_tool("virtuoso-t", "virtuoso-opensource-7-bin")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql_port=sql_port, http_port=http_port))
    log = open(folder / "stdout.log", "wb")
    proc = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{http_port}"
        wait_http(f"{base}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", timeout=120, proc=proc)
        yield base
    finally:
        stop(proc)
        log.close()


@contextmanager
def tiny_server(handler_cls):
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler_cls)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def reply(self, code: int, text: str, ctype: str = "text/plain") -> None:
        data = text.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Fails500(Quiet):
    MESSAGE = "kaboom: the triple store is on fire"

    def do_GET(self):
        self.reply(500, f"<html><body><h1>Internal error</h1><p>{self.MESSAGE}</p></body></html>", "text/html")

    def do_POST(self):
        self.body()
        self.do_GET()


class Sleeps(Quiet):
    def do_POST(self):
        self.body()
        time.sleep(8)
        self.reply(200, '{"head": {"vars": []}, "results": {"bindings": []}}', "application/sparql-results+json")

    do_GET = do_POST


class NeedsBasicAuth(Quiet):
    USER, PASSWORD = "alice", "right-password"

    def do_POST(self):
        self.body()
        expected = "Basic " + base64.b64encode(f"{self.USER}:{self.PASSWORD}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kg-test"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.reply(200, '{"head": {}, "boolean": true}', "application/sparql-results+json")

    do_GET = do_POST


def proxy_handler(backend: str, delay: float = 0.0, fail_after: int | None = None):
    """A forwarding proxy to ``backend``: writes (PUT, POST of updates) are slowed by
    ``delay``; after ``fail_after`` writes every write gets a 503 (the store "stopped")."""
    writes = {"n": 0}
    lock = threading.Lock()

    class Proxy(Quiet):
        def forward(self, method):
            data = self.body() if method in ("POST", "PUT") else None
            write = method == "PUT" or (method == "POST" and self.path.startswith("/update"))
            if write:
                with lock:
                    writes["n"] += 1
                    n = writes["n"]
                if fail_after is not None and n > fail_after:
                    return self.reply(503, "store stopped for maintenance")
                time.sleep(delay)
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            req = urllib.request.Request(backend + self.path, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    code, body, ctype = resp.status, resp.read(), resp.headers.get("Content-Type", "text/plain")
            except urllib.error.HTTPError as exc:
                code, body, ctype = exc.code, exc.read(), exc.headers.get("Content-Type", "text/plain")
            try:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client was killed mid-request: that is the test

        def do_GET(self):
            self.forward("GET")

        def do_POST(self):
            self.forward("POST")

        def do_PUT(self):
            self.forward("PUT")

    return Proxy


# -- endpoint comparisons (test_endpoints, test_endpoints_virtuoso) -------------------------

QUERIES = sorted((ROOT / "ontology" / "queries").glob("*.rq"))
SECRET = "s3cr3t-Pa55word-never-shown"


def local_result(store_dir: Path, path: Path):
    with Store(store_dir, read_only=True) as store:
        return run_local(store, path.read_text())


def remote_graphs(query_url: str) -> dict[str, int]:
    res = run_remote(query_url, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"].value: int(r["n"].value) for r in res.rows}


def local_counts(store_dir: Path) -> dict[str, int]:
    with Store(store_dir, read_only=True) as store:
        return {g: sum(1 for _ in store.quads(g)) for g in store.graphs()}


def remote_graph(query_url: str, graph: str) -> rdflib.Graph:
    """The remote graph, with kg's derived datatypes restored: Oxigraph (embedded or
    server) stores xsd:nonNegativeInteger as xsd:integer; kg.store restores them the same
    way for the local side."""
    from kg.rdf.datatypes import DERIVED_DATATYPES

    res = run_remote(query_url, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    g = rdflib.Graph().parse(data=res.graph, format="nt")
    out = rdflib.Graph()
    for s, p, o in g:
        dt = DERIVED_DATATYPES.get(str(p))
        if dt and isinstance(o, rdflib.Literal) and str(o.datatype) != dt:
            o = rdflib.Literal(str(o), datatype=rdflib.URIRef(dt))
        out.add((s, p, o))
    return out


def local_graph(store_dir: Path, graph: str) -> rdflib.Graph:
    with Store(store_dir, read_only=True) as store:
        data = ox.serialize((q.triple for q in store.quads(graph)), format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data.decode(), format="nt")


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode != 0, proc
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), proc.stderr
    return lines[0]


def make_blank_node_store(path: Path, name: str = "bnodes") -> tuple[str, str]:
    """A store with blank-node structures (nested nodes, an RDF list) in two graphs."""
    ttl = """@prefix ex: <http://example.org/> .
    ex:a ex:address [ ex:street "1 Main St" ; ex:geo [ ex:lat 1.5 ; ex:long -2.25 ] ] ;
         ex:members ( ex:x [ ex:name "anon" ] ex:y ) .
    [] ex:says "a statement with only blank nodes" ; ex:about [ ex:says "nested" ] .
    ex:b ex:plain "no blank node here"@en .
    """
    g1, g2 = f"https://kg.example.org/id/graph/{name}-1", f"https://kg.example.org/id/graph/{name}-2"
    with Store(path) as store:
        for g in (g1, g2):
            quads = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(g))
                     for q in ox.parse(ttl, format=ox.RdfFormat.TURTLE)]
            store.replace_graph(g, quads)
    return g1, g2


# -- a small corpus (test_scale, test_incremental, test_crash) -----------------------------

SEED = (SEEDS / "000_6ce42e271251dfbb.txt").read_text(encoding="utf-8")
STORIES = [
    "---\npublished: 2021-05-04\n---\nBoeing said on Monday that it would cut 2,000 jobs in Seattle.\n\n"
    "The company blamed weak demand. Chief executive Dave Calhoun told reporters the cuts were painful.",
    "---\npublished: 2021-05-05\n---\nAirbus delivered 40 jets in April, the European planemaker said on Tuesday.\n\n"
    "Airbus expects deliveries to rise next year.",
    "---\npublished: 2021-06-01\n---\nGerman Chancellor Angela Merkel met French President Emmanuel Macron in Berlin on Friday.\n\n"
    "\"We agree on the plan,\" Merkel said.",
]


def make_corpus(root: Path) -> Path:
    """The seed, an edited copy, three short stories; ids that sort differently as
    IRIs and as text ("story-1" / "story")."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "seed.txt").write_text(SEED, encoding="utf-8")
    (root / "seed-edit.txt").write_text(SEED.replace("Helsinki", "Geneva"), encoding="utf-8")
    (root / "story.md").write_text(STORIES[0], encoding="utf-8")
    (root / "story-1.md").write_text(STORIES[1], encoding="utf-8")
    (root / "news").mkdir(exist_ok=True)
    (root / "news" / "2.md").write_text(STORIES[2], encoding="utf-8")
    return root


def exports(out: Path) -> tuple[bytes, bytes]:
    return (out / "kg.ttl").read_bytes(), (out / "kg.trig").read_bytes()


# -- hostile names for IRIs (test_iris_props, also run in a subprocess) --------------------

HOSTILE = ["José García", "Jose Garcia", "JOSE GARCIA", "Jose-Garcia", "Jose  Garcia", "Jose\u200bGarcia",
           "Jose\u0301 Garci\u0301a", "jose garcia", "Jose_Garcia", "Jose.Garcia", "<Jose> {Garcia}|^`\\",
           'Jose "Garcia"', "Jose\nGarcia", "\u202eaicraG esoJ", "💥", "", " ", ".", "..", "/", "a/b", "a%2Fb",
           "%2E", "a b", "a+b", "a#b", "a?b", "http://x/y?z#w", "\x00", "\ud800", "x" * 10_000]


def iris_of(m: Minter, name: str) -> list[str]:
    out = [m.article(name), m.graph(name), m.text(name, 0, 7), m.local("event", name, "v1"),
           m.publisher(name), m.time(name)]
    out += [m.entity(kind, f"{kind.lower()}:{name}", name) for kind in KIND_SEGMENTS]
    out.append(m.entity("PLACE", "place:geonames:2017370", name))
    return out


# -- a real browser (test_web) -------------------------------------------------------------

# Headless, and quiet: no first-run pages, no background requests of Chromium's own (sync,
# component updates, QUIC probes), so every request seen is one the page made.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1280,1400"]


def chromium(user_data_dir: Path):
    """Debian's Chromium driven through Debian's chromedriver (both installed on demand),
    with a fresh profile in ``user_data_dir``; the console and network logs on."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = debian_tool("chromium", "chromium")
    driver = debian_tool("chromedriver", "chromium-driver")
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={user_data_dir}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=opts)


# A hand-made article record (mapping and IRI tests, no spaCy).
BODY = "Ann Lee met Bob Ray in Oslo on Monday. Lee said: \"It went well.\""


def mention(text, start=0):
    i = BODY.index(text, start)
    return Mention(i, i + len(text), text)


def record(article_id="a1", published="2020-01-08"):
    return ArticleRecord(
        meta=ArticleMeta(id=article_id, headline="Meeting", published=published, content_hash="0" * 64),
        body=BODY, pipeline="test_pipe", pipeline_version="1.0",
        entities=[
            EntityRecord("e0", "PERSON", "Ann Lee", "person:ann lee", [mention("Ann Lee"), mention("Lee", 30)], ["Lee"]),
            EntityRecord("e1", "PERSON", "Bob Ray", "person:bob ray", [mention("Bob Ray")]),
            EntityRecord("e2", "PLACE", "Oslo", "place:geonames:3143244", [mention("Oslo")],
                         same_as=["https://sws.geonames.org/3143244/"], lat=59.91, long=10.75),
        ],
        times=[TimeRecord("t0", "DATE", "Monday", "2020-01-06", [mention("Monday")])],
        events=[
            EventRecord("v0", "Consultation", "meet", "meet", [mention("met")],
                        roles=[Role("agent", "e0", "entity"), Role("patient", "e1", "entity")],
                        places=["e2"], times=["t0"]),
            EventRecord("v1", "Statement", "say", "say", [mention("said")], roles=[Role("agent", "e0", "entity")]),
        ],
        quotes=[QuoteRecord("q0", "It went well.", BODY.index("It"), BODY.index("It") + 13, "e0", mention("said"), "v1")],
    )


# kg serve as a user starts it: a subprocess on a free port, stopped and checked for leftovers.
@contextmanager
def kg_serve(store: Path, *extra: str):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port), *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started: list[int] = []
    try:
        wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc=proc)
        yield port, proc
    finally:
        started = children(proc.pid)  # kg serve answers itself: only query processes (--timeout)
        stop(proc)  # SIGTERM ends kg serve and whatever it started
        alive = [c for c in started if Path(f"/proc/{c}").exists() and "zombie" not in process_state(c)]
        for child in alive:
            subprocess.run(["kill", "-9", str(child)], check=False)
        assert not alive, "kg serve left a process running"
        assert not listening_addresses(port), "kg serve stopped but its port still listens"


def process_state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def listening_addresses(port: int) -> set[str]:
    """Local addresses listening on ``port``, from /proc/net/tcp{,6} (hex, little-endian)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.split(":")
            if int(p, 16) == port and state == "0A":  # LISTEN
                found.add(".".join(str(int(addr[i:i + 2], 16)) for i in (6, 4, 2, 0)) if len(addr) == 8 else addr)
    return found


def with_ents(nlp, text, spans):
    """kg_entities' records for ``text`` whose model entities are exactly ``spans``:
    (substring, occurrence index, label). Tests of kg's rules on names set the model's
    entities themselves, so they do not depend on the small model's labels."""
    import kg.nlp.extensions  # noqa: F401
    from kg.nlp.entities import EntityConsolidator

    with nlp.select_pipes(disable=["kg_entities"]):
        doc = nlp(text)
    ents = []
    for sub, nth, label in spans:
        start = -1
        for _ in range(nth + 1):
            start = text.index(sub, start + 1)
        span = doc.char_span(start, start + len(sub), label=label)
        assert span is not None, sub
        ents.append(span)
    doc.ents = sorted(ents, key=lambda s: s.start)
    return EntityConsolidator()(doc)._.kg_entities
