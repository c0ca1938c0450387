"""Pushing the built graph to a remote store: one named graph per article, the ontology in
its own graph.

How a graph is written:

- SPARQL 1.1 Graph Store Protocol ``PUT ?graph=G`` with the graph as N-Triples (sent as
  ``text/turtle``, of which N-Triples is a subset, for stores that only take Turtle): the
  store replaces G on one request, blank nodes and all. Killing kg cannot split a request
  the server has received whole; a graph half-written by a server crash is caught by
  the check below (its count or hash differs) and rewritten by the next run. One request
  per graph, so a corpus of thousands of articles is thousands of small requests, never
  one giant one.
- Fallback, for stores without the protocol (no GSP URL, or it answers 404 / 405 / 415 /
  501): SPARQL Update (see ``update_operations``): each graph is written into its own
  temporary graph in chunks, then ``MOVE``d over the real one, so the real graph is
  replaced by one operation; operations are packed into requests of about
  ``batch_triples`` triples. An interrupted run leaves at most a temporary graph, which
  the next run drops before rewriting it. Blank nodes go in ``INSERT {} WHERE {}``
  templates, each blank-node structure whole in one template.

Resume / idempotence: before writing, one query asks the remote for each graph's triple
count and, for article graphs, the article's content hash and build activity (kg writes
them into every article graph). A graph whose count, hash and activity match the local
one is complete and skipped; the others are written, in sorted order. After writing, the
same query checks every graph; a push that fails says which graphs were not written, and
re-running it writes just those. Re-running a finished push sends no graph at all.
Graphs without an article (the ontology) are judged by their triple count only.

Graph IRIs go into SPARQL only through ``pyoxigraph.NamedNode`` (which rejects anything
that is not an IRI) and its N-Triples form; triples through Oxigraph's N-Triples writer.
"""
from __future__ import annotations

import hashlib
import logging
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from kg.errors import EndpointError, InputError, PushError, UsageError
from kg.remote.client import Credentials, DEFAULT_TIMEOUT, opener, run_remote, scrub, split_userinfo, translate
from kg.store.embedded import Store
from kg.rdf.vocab import KG, ONTOLOGY_DIR, PROV

log = logging.getLogger(__name__)

ONTOLOGY_FILES = ("kg.ttl", "events.ttl")
ONTOLOGY_GRAPH = "https://kg.example.org/ontology"
NO_GSP = {404, 405, 406, 415, 501}


@dataclass
class Target:
    """Where to push: the query URL (to check state), the update URL (fallback writes) and
    the Graph Store Protocol URL (``None``: updates only)."""

    query_url: str
    update_url: str
    gsp_url: str | None
    creds: Credentials = field(default_factory=Credentials)
    timeout: float | None = DEFAULT_TIMEOUT

    @classmethod
    def from_endpoint(cls, endpoint: str, update: str | None = None, gsp: str | None = None,
                      creds: Credentials | None = None, timeout: float | None = DEFAULT_TIMEOUT,
                      use_gsp: bool = True) -> "Target":
        """Oxigraph-style servers (``.../query``) get ``.../update`` and ``.../store``;
        others use the endpoint URL for updates and no GSP unless given."""
        endpoint, u, p = split_userinfo(endpoint)
        creds = creds or Credentials()
        if u is not None and not creds:
            creds = Credentials(u, p, creds.auth)
        base = endpoint[: -len("/query")] if endpoint.rstrip("/").endswith("/query") else None
        if update is None:
            update = f"{base}/update" if base else endpoint
        if gsp is None and base:
            gsp = f"{base}/store"
        return cls(endpoint, split_userinfo(update)[0], split_userinfo(gsp)[0] if gsp and use_gsp else None,
                   creds, timeout)


@dataclass
class LocalGraph:
    iri: str
    triples: int
    article: tuple[str, str] | None  # (content hash, build activity) for an article graph
    source: str  # "store" or "ontology"


@dataclass
class PushReport:
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    method: str = ""
    seconds: float = 0.0

    def summary(self) -> str:
        how = f" by {self.method}" if self.written else ""
        return (f"pushed {len(self.written)} graph{'s' if len(self.written) != 1 else ''}{how}, "
                f"{len(self.skipped)} already complete, in {self.seconds:.1f}s")


def iri_term(iri: str) -> str:
    """``<iri>`` for SPARQL, or an error if ``iri`` is not an IRI (never pasted raw)."""
    try:
        return str(ox.NamedNode(iri))
    except ValueError as exc:
        raise UsageError(f"not a valid graph IRI: {iri!r}") from exc


class _Http:
    def __init__(self, target: Target):
        self.target = target
        # credentials for the endpoint origins only; no redirect to another origin
        self.opener = opener(target.creds, target.query_url, target.update_url, target.gsp_url)

    def send(self, url: str, method: str, body: bytes, ctype: str, what: str) -> int:
        req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": ctype})
        try:
            with self.opener.open(req, timeout=self.target.timeout) as resp:
                resp.read()
                return resp.status
        except urllib.error.HTTPError as exc:
            if method == "PUT" and exc.code in NO_GSP:
                return exc.code
            raise translate(exc, url, self.target.creds, what) from exc
        except EndpointError:
            raise
        except Exception as exc:  # noqa: BLE001 - network errors become EndpointError
            raise translate(exc, url, self.target.creds, what) from exc


def local_graphs(store: Store, ontology: Iterable[Path] = (), ontology_graph: str = ONTOLOGY_GRAPH
                 ) -> tuple[list[LocalGraph], list[ox.Triple]]:
    articles = {g: (h, act) for g, h, act in store.built_articles_with_activity().values()}
    graphs = [LocalGraph(g, sum(1 for _ in store.quads(g)), articles.get(g), "store") for g in store.graphs()]
    onto: list[ox.Triple] = []
    for path in ontology:
        try:
            onto.extend(q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except (OSError, SyntaxError) as exc:
            raise InputError(f"{path}: cannot read the ontology: {exc}") from exc
    if onto:
        onto = sorted(set(onto), key=str)
        iri_term(ontology_graph)
        if any(g.iri == ontology_graph for g in graphs):
            raise UsageError(f"the store already has a graph {ontology_graph}; pass another --ontology-graph")
        graphs.append(LocalGraph(ontology_graph, len(onto), None, "ontology"))
    graphs.sort(key=lambda g: g.iri)
    return graphs, onto


def remote_state(target: Target, iris: list[str]) -> dict[str, tuple[int, set[tuple[str, str]]]]:
    """graph IRI -> (triple count, {(content hash, activity)}) on the remote, for ``iris``
    (asked in chunks of VALUES, so the answer is about our graphs only)."""
    state: dict[str, tuple[int, set]] = {}
    for i in range(0, len(iris), 200):
        values = " ".join(iri_term(g) for g in iris[i:i + 200])
        counts = run_remote(target.query_url, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                                              f"GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g",
                            target.creds, target.timeout)
        for row in counts.rows:
            state[row["g"].value] = (int(row["n"].value), set())
        marks = run_remote(target.query_url, f"SELECT ?g ?h ?act WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ "
                                             f"?a <{KG.contentHash}> ?h ; <{PROV.wasGeneratedBy}> ?act }} }}",
                           target.creds, target.timeout)
        for row in marks.rows:
            if row["g"].value in state:
                state[row["g"].value][1].add((row["h"].value, row["act"].value))
    return state


def complete(g: LocalGraph, state: dict) -> bool:
    if g.iri not in state:
        return False
    count, marks = state[g.iri]
    return count == g.triples and (g.article is None or marks == {g.article})


def graph_triples(store: Store, g: LocalGraph, onto: list[ox.Triple], label: int) -> list[ox.Triple]:
    """The graph's triples, sorted, blank nodes relabelled ``g{label}b{n}`` (unique per graph)."""
    triples = onto if g.source == "ontology" else [q.triple for q in store.quads(g.iri)]
    names: dict[str, ox.BlankNode] = {}

    def relabel(t):
        if isinstance(t, ox.BlankNode):
            if t.value not in names:
                names[t.value] = ox.BlankNode(f"g{label}b{len(names)}")
            return names[t.value]
        return t

    return sorted((ox.Triple(relabel(t.subject), t.predicate, relabel(t.object)) for t in triples), key=str)


def ntriples(triples: list[ox.Triple]) -> str:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def bnode_components(triples: list[ox.Triple]) -> list[list[ox.Triple]]:
    """Triples with blank nodes, grouped so that triples sharing a blank node (directly
    or through others) are in one group: one group must go in one INSERT template."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t in triples:
        ends = [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        for e in ends[1:]:
            parent[find(e)] = find(ends[0])
    groups: dict[str, list[ox.Triple]] = {}
    for t in triples:
        b = t.subject if isinstance(t.subject, ox.BlankNode) else t.object
        groups.setdefault(find(b.value), []).append(t)
    return list(groups.values())


def temp_graph(iri: str) -> str:
    return f"urn:x-kg:push:{hashlib.sha256(iri.encode('utf-8')).hexdigest()[:32]}"


def update_operations(g: LocalGraph, triples: list[ox.Triple], chunk: int) -> list[tuple[str, int]]:
    """(operation, triples in it) to replace graph ``g``: the graph is written into a
    temporary graph in chunks of about ``chunk`` triples, then moved over ``g`` in one
    operation (``MOVE`` replaces the target): until that last operation ``g`` is the old
    graph (or none), never a part of the new one. Triples without blank nodes go in
    ``INSERT DATA``; blank-node structures in ``INSERT {...} WHERE {}`` templates, each
    structure whole in one template (a template's blank nodes are fresh per operation;
    some stores refuse blank nodes in INSERT DATA). Small chunks also keep Virtuoso
    under its limit on compiled SQL (one big template fails with SP031)."""
    tmp, name = iri_term(temp_graph(g.iri)), iri_term(g.iri)
    ground, blank, odd = [], [], []
    for t in triples:
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            blank.append(t)
        elif _odd_literal(t.object):
            odd.append(t)
        else:
            ground.append(t)
    ops: list[tuple[str, int]] = [(f"DROP SILENT GRAPH {tmp}", 0)]
    for i in range(0, len(ground), chunk):
        part = ground[i:i + chunk]
        ops.append((f"INSERT DATA {{ GRAPH {tmp} {{\n{ntriples(part)}}} }}", len(part)))
    group: list[ox.Triple] = []
    for comp in bnode_components(blank) + [[t] for t in odd]:
        if group and len(group) + len(comp) > chunk:
            ops.append((_template(tmp, group), len(group)))
            group = []
        group.extend(comp)
    if group:
        ops.append((_template(tmp, group), len(group)))
    if not triples:
        return [(f"DROP SILENT GRAPH {name}", 0)]
    ops.append((f"MOVE SILENT GRAPH {tmp} TO GRAPH {name}", 0))
    return ops


# Datatypes every store we tried reads as constants in SPARQL. Others go through a
# template with BIND(STRDT(...)): Virtuoso 7.2's SPARQL compiler fails on some typed
# constants ("P3D"^^xsd:duration -> "SQ200: No column P3DD") but takes STRDT.
_XSD = "http://www.w3.org/2001/XMLSchema#"
PLAIN_DATATYPES = {_XSD + t for t in ("string", "integer", "decimal", "double", "boolean", "date", "dateTime",
                                      "nonNegativeInteger")} | {"http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def _odd_literal(term) -> bool:
    return isinstance(term, ox.Literal) and term.datatype is not None and term.datatype.value not in PLAIN_DATATYPES


def _template(tmp: str, triples: list[ox.Triple]) -> str:
    """``INSERT { GRAPH tmp { ... } } WHERE { BIND ... }``: blank nodes as they are (fresh
    per operation), odd typed literals as STRDT of their lexical form."""
    lines, binds = [], []
    for t in triples:
        o = t.object
        if _odd_literal(o):
            var = f"?v{len(binds)}"
            binds.append(f"BIND(STRDT({ox.Literal(o.value)}, {o.datatype}) AS {var})")
            o = var
        lines.append(f"{t.subject} {t.predicate} {o} .")
    body = "\n".join(lines)
    return f"INSERT {{ GRAPH {tmp} {{\n{body}\n}} }} WHERE {{ {' '.join(binds)} }}"


def push(store: Store, target: Target, ontology: Iterable[Path] = (), ontology_graph: str = ONTOLOGY_GRAPH,
         batch_triples: int = 1000, progress=None) -> PushReport:
    """Write every local graph the remote does not hold complete; see the module doc."""
    t0 = time.monotonic()
    graphs, onto = local_graphs(store, ontology, ontology_graph)
    state = remote_state(target, [g.iri for g in graphs])
    report = PushReport()
    report.skipped = [g.iri for g in graphs if complete(g, state)]
    todo = [g for g in graphs if not complete(g, state)]
    http = _Http(target)
    use_gsp = target.gsp_url is not None
    pending = list(todo)
    try:
        request: list[str] = []
        size = 0
        finished: list[LocalGraph] = []  # graphs whose last operation is in ``request``
        for i, g in enumerate(todo):
            triples = graph_triples(store, g, onto, i)
            if use_gsp:
                url = f"{target.gsp_url}?{urllib.parse.urlencode({'graph': g.iri})}"
                status = http.send(url, "PUT", ntriples(triples).encode("utf-8"), "text/turtle; charset=utf-8",
                                   f"writing graph {g.iri}")
                if status in NO_GSP:
                    log.info("no Graph Store Protocol at %s (HTTP %s): using SPARQL Update", scrub(target.gsp_url),
                             status)
                    use_gsp = False
                else:
                    report.method = "graph store protocol"
                    _done(g, report, pending, progress)
                    continue
            for op, n in update_operations(g, triples, batch_triples):
                if request and size + n > batch_triples:
                    _send_update(http, target, request, finished, report, pending, progress)
                    request, size, finished = [], 0, []
                request.append(op)
                size += n
            finished.append(g)
        if request:
            _send_update(http, target, request, finished, report, pending, progress)
    except (EndpointError, KeyboardInterrupt) as exc:
        why = "interrupted" if isinstance(exc, KeyboardInterrupt) else str(exc)
        if not use_gsp and pending:
            _drop_temp(http, target, pending[0])
        raise PushError(f"push stopped ({why}); {_not_written(pending)}; re-run kg push to finish",
                        [g.iri for g in pending]) from exc
    # check: every graph is complete on the remote now
    state = remote_state(target, [g.iri for g in graphs])
    missing = [g for g in graphs if not complete(g, state)]
    if missing:
        raise PushError(f"the endpoint does not hold what was sent: {_not_written(missing)}",
                        [g.iri for g in missing])
    report.seconds = time.monotonic() - t0
    return report


def _drop_temp(http: _Http, target: Target, g: LocalGraph) -> None:
    """Best effort: drop the temporary graph of the graph being written when a push
    stops (on a store without transactions it may hold part of the graph; the next run
    drops it anyway)."""
    body = urllib.parse.urlencode({"update": f"DROP SILENT GRAPH {iri_term(temp_graph(g.iri))}"}).encode("utf-8")
    try:
        http.send(target.update_url, "POST", body, "application/x-www-form-urlencoded", "cleaning up")
    except EndpointError:
        pass


def _done(g: LocalGraph, report: PushReport, pending: list, progress) -> None:
    report.written.append(g.iri)
    pending.remove(g)
    if progress:
        progress(g.iri)


def _send_update(http: _Http, target: Target, ops: list[str], finished: list[LocalGraph], report: PushReport,
                 pending: list, progress) -> None:
    body = urllib.parse.urlencode({"update": " ;\n".join(ops)}).encode("utf-8")
    what = f"writing {pending[0].iri}" if pending else "writing"
    http.send(target.update_url, "POST", body, "application/x-www-form-urlencoded", what)
    report.method = "SPARQL update"
    for g in finished:
        _done(g, report, pending, progress)


def _not_written(graphs: list[LocalGraph], show: int = 5) -> str:
    names = ", ".join(g.iri for g in graphs[:show])
    more = f" and {len(graphs) - show} more" if len(graphs) > show else ""
    return f"{len(graphs)} graph{'s' if len(graphs) != 1 else ''} not written: {names}{more}"


def default_ontology() -> list[Path]:
    return [ONTOLOGY_DIR / f for f in ONTOLOGY_FILES if (ONTOLOGY_DIR / f).is_file()]
