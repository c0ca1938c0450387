"""SPARQL over the embedded store, with results as ``ResultSet``.

Every query is read by rdflib's SPARQL parser first (``check_query``), for two things
Oxigraph does not do for us:

- federation is off: Oxigraph fetches the URL of a ``SERVICE`` clause, so a query could
  make kg (or ``kg serve``) send requests anywhere; a query with ``SERVICE`` is refused
  unless its host is explicitly allowed (``--allow-service HOST``). Found by walking the
  parse tree, so the word in a comment or a string literal is not a ``SERVICE``.
- the dataset: ``FROM`` / ``FROM NAMED`` restrict the dataset as SPARQL 1.1 says (13.2):
  the ``FROM`` graphs merged as the default graph, the ``FROM NAMED`` graphs as the named
  graphs. A query without a dataset clause gets the store's default graph: the union of
  the article graphs, each triple once (kg.store.embedded).
"""
from __future__ import annotations

import os
import re
import signal
import threading
import urllib.parse
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from kg.errors import QueryError, QueryRefusedError
from kg.store.results import ResultSet, Term
from kg.store.embedded import Store


def read_query(text_or_file: str) -> str:
    """A query given inline or as a path to a .rq / .sparql file."""
    if text_or_file.endswith((".rq", ".sparql")) or ("\n" not in text_or_file and _is_file(text_or_file)):
        path = Path(text_or_file)
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"{path}: cannot read query file: {exc.strerror or exc}") from exc
    return text_or_file


def _is_file(text: str) -> bool:
    """A path to an existing file; a long one-line query is no path (ENAMETOOLONG)."""
    try:
        return Path(text).is_file()
    except OSError:
        return False


def term(t) -> Term:
    if isinstance(t, ox.NamedNode):
        return Term("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return Term("bnode", t.value)
    if isinstance(t, ox.Literal):
        return Term("literal", t.value, t.datatype.value if t.datatype else None, t.language)
    return Term("triple", str(t))


_PARSE_LOCK = threading.Lock()  # pyparsing's packrat cache is shared by every thread
# Only for queries rdflib cannot parse: could it hold a SERVICE or a dataset clause?
_MAYBE_SERVICE_OR_DATASET = re.compile(r"(?i)\b(service|from)\b")


def check_query(sparql: str, allow_service: Iterable[str] = (),
                default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> dict:
    """``Store.query`` keyword arguments for ``sparql`` (its dataset), or ``QueryRefusedError``
    if it calls a ``SERVICE`` whose host is not in ``allow_service``. ``default_graphs`` /
    ``named_graphs`` are a dataset given by the SPARQL protocol (``default-graph-uri`` /
    ``named-graph-uri``), which overrides the query's own (SPARQL 1.1 Protocol 2.1.4)."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        with _PARSE_LOCK:
            parsed = parseQuery(sparql)
            prologue = translatePrologue(parsed[0], None)
    except (ParseBaseException, ValueError, TypeError) as exc:
        if _MAYBE_SERVICE_OR_DATASET.search(sparql):
            raise QueryError(f"SPARQL syntax error (rdflib's parser, which kg uses to check the query): "
                             f"{' '.join(str(exc).split())}") from exc
        # nothing to check: Oxigraph reports its own syntax error, if any
        parsed, prologue = None, None
    if parsed is not None:
        allowed = {h.lower() for h in allow_service}
        for node in _walk(parsed[1]):
            if getattr(node, "name", None) == "ServiceGraphPattern":
                _check_service(dict.get(node, "term"), prologue, allowed)
    if default_graphs is not None or named_graphs is not None:
        return _dataset(default_graphs or [], named_graphs or [])
    # dict.get: CompValue.get answers the key's name for a missing key
    clauses = list(dict.get(parsed[1], "datasetClause") or []) if parsed is not None else []
    if not clauses:
        return {}  # the store's default graph (Store.query)
    default = [str(prologue.absolutize(c["default"])) for c in clauses if "default" in c]
    named = [str(prologue.absolutize(c["named"])) for c in clauses if "named" in c]
    return _dataset(default, named)


def _dataset(default: list[str], named: list[str]) -> dict:
    try:
        return {"default_graph": [ox.NamedNode(g) for g in default],
                "named_graphs": [ox.NamedNode(g) for g in named]}
    except ValueError as exc:
        raise QueryError(f"not a graph IRI in the dataset: {exc}") from exc


def _walk(node):
    """Every node of an rdflib parse tree (CompValue is a dict, ParseResults a list)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, dict):
            stack.extend(n.values())
        elif isinstance(n, (list, tuple)) or type(n).__name__ == "ParseResults":
            stack.extend(n)


def _check_service(term, prologue, allowed: set[str]) -> None:
    from rdflib.term import Variable

    if isinstance(term, Variable):
        raise QueryRefusedError(f"the query calls SERVICE ?{term}: federated queries are off, and a SERVICE "
                                f"named by a variable cannot be checked")
    iri = str(prologue.absolutize(term))
    parts = urllib.parse.urlsplit(iri)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    ok = parts.scheme in ("http", "https") and host and (
        host in allowed or (port is not None and f"{host}:{port}" in allowed))
    if not ok:
        raise QueryRefusedError(f"the query calls SERVICE <{iri}>: federated queries are off "
                                f"(allow its host with --allow-service {host or 'HOST'})")


def run_local(store: Store, sparql: str, timeout: float | None = None,
              allow_service: Iterable[str] = ()) -> ResultSet:
    dataset = check_query(sparql, allow_service)
    try:
        res = store.query(sparql, **dataset)
        if isinstance(res, ox.QueryBoolean) or isinstance(res, bool):
            return ResultSet(boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = []
            for sol in res:
                row = {}
                for v in variables:
                    val = sol[v]
                    if val is not None:
                        row[v] = term(val)
                rows.append(row)
            return ResultSet(variables=variables, rows=rows)
        triples = sorted(res, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        return ResultSet(graph=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from exc


def run_local_with_timeout(store_dir: str | Path, sparql: str, timeout: float,
                           allow_service: Iterable[str] = ()) -> ResultSet:
    """``run_local`` in a child process (``in_child``): the child opens the store read-only
    itself."""
    from kg.errors import KgError

    check_query(sparql, allow_service)  # refused here, before a process is started
    kind, payload = in_child(_child, (str(store_dir), sparql, tuple(allow_service)), timeout)
    if kind == "error":
        raise payload if isinstance(payload, KgError) else QueryError(str(payload))
    return payload


def in_child(target, args: tuple, timeout: float) -> tuple[str, object]:
    """What ``target(*args, sender)`` sends back, ``(kind, payload)``, run in a child process
    that is killed after ``timeout`` seconds: Oxigraph has no way to cancel a running query,
    so the only honest timeout is a process ("spawn", not "fork": the store's threads do not
    survive a fork)."""
    import multiprocessing

    from kg.errors import EndpointTimeoutError

    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_orphan_proof, args=(os.getpid(), target, args, sender), daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise EndpointTimeoutError(f"the query did not finish in {timeout:g}s (stopped)")
        try:
            return receiver.recv()
        except EOFError as exc:
            raise QueryError(f"the query process died (exit code {proc.exitcode})") from exc
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        receiver.close()


def _orphan_proof(parent: int, target, args: tuple, sender) -> None:
    """``target(*args, sender)`` in a child that dies with its parent: a ``kg query
    --timeout`` or ``kg serve`` killed (SIGKILL skips its ``finally``) leaves no query
    running on (a daemon process is only stopped by a parent that exits normally)."""
    die_with_parent(parent)
    target(*args, sender)


def die_with_parent(parent: int) -> None:
    """Linux: be killed when ``parent`` dies, even by SIGKILL (prctl PR_SET_PDEATHSIG)."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _child(store_dir: str, sparql: str, allow_service: tuple[str, ...], sender) -> None:
    from kg.errors import KgError

    try:
        with Store(store_dir, read_only=True) as store:
            sender.send(("ok", run_local(store, sparql, allow_service=allow_service)))
    except KgError as exc:
        sender.send(("error", type(exc)(str(exc))))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a query error
        sender.send(("error", QueryError(f"query failed: {exc}")))
    finally:
        sender.close()
